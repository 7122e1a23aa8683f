// src/sim/board-setup.ts: the Python run at every interpreter start to make the port look like a board.

import { readFileSync } from 'node:fs';

function pySource(file: string): string {
  return readFileSync(new URL(`./py/${file}`, import.meta.url), 'utf8');
}

/**
 * Modules written to /tmp and imported from there before `/` becomes the flash: `_mpysim`
 * (every board; `setup(legacy)`), and for the legacy profile `_mpysim_legacy` (the micro:bit's
 * modules, files and errors) and `_mpysim_heap` (its heap size).
 */
export const SETUP_MODULES: Record<string, string> = {
  _mpysim: pySource('mpysim.py'),
  _mpysim_legacy: pySource('mpysim_legacy.py'),
  _mpysim_heap: pySource('mpysim_heap.py'),
};
