// src/board/once.ts: simple operations in one exec each on a board nothing is known of yet (the
// usual `mpy ls`, `mpy rm :x`, `mpy sha256sum :x` from a shell): a short self-contained program
// from ./py/once/, with no capability probe, no helper and no cwd question before it. A board
// that lacks what the program uses (micro:bit v1: no os.ilistdir, os.stat, hashlib) raises a
// NameError-like error before touching anything; the caller then takes the full path for good.

import { readFileSync } from 'node:fs';
import { BoardError } from '../errors.js';
import { minifyPython } from '../repl/python.js';
import { pyStr } from './py-literal.js';
import type { DirEntry } from './types.js';

/** The one-exec programs, each defining `_o(...)`. */
export type OnceOp = 'ls' | 'st' | 'rm' | 'mkdir' | 'rmdir' | 'dg' | 'gz' | 'put' | 'cm' | 'pt';

const sources = new Map<OnceOp, string>();

/** The minified program of `op`, read once per process. */
export function onceSource(op: OnceOp): string {
  let text = sources.get(op);
  if (text === undefined) {
    text = minifyPython(readFileSync(new URL(`./py/once/${op}.py`, import.meta.url), 'utf8'));
    sources.set(op, text);
  }
  return text;
}

/** The exec for `op` with its arguments (Python literals from ./py-literal.ts): the program, the
 * call, and `_o` removed again so nothing of mpy stays in the board's globals. */
export function onceCode(op: OnceOp, ...args: string[]): string {
  return `${onceSource(op)}try:\n _o(${args.join(',')})\nfinally:\n del _o\n`;
}

/** The exec of the one-exec upload (py/once/put.py) with its commit (py/once/cm.py). */
export function onceCommitCode(...args: string[]): string {
  return `${onceSource('cm')}${onceSource('put')}try:\n _o(${args.join(',')})\nfinally:\n del _o,_c,_s\n`;
}

/** The exec that sweeps board folders an earlier process left writes under way in (see
 * src/commands/pending.ts), each on its own: a folder gone since is no error. */
export function sweepCode(folders: string[]): string {
  const list = folders.map((folder) => pyStr(folder)).join(',');
  const loop = `for p in [${list}]:\n  try:_s(p)\n  except OSError:pass\n`;
  return `${onceSource('cm')}try:\n ${loop}finally:\n del _c,_s\n`;
}

/** Errors that say the board lacks what a one-exec program uses (not an answer about the file):
 * nothing was changed, and the full helper, which probes first, does the work instead. */
const MISSING = new Set([
  'AttributeError',
  'ImportError',
  'NameError',
  'TypeError',
  'MemoryError',
  'SyntaxError',
  'NotImplementedError',
]);

/** True when `error` means the one-exec program cannot run on this board. */
export function isOnceUnsupported(error: unknown): boolean {
  return error instanceof BoardError && MISSING.has(error.type);
}

/** A temporary name of an atomic write (src/board/paths.ts), never listed (as py/core.py `tmp`). */
function isTemporary(name: string): boolean {
  return /^\..*\.mpy-(tmp|old|new)$/.test(name);
}

/** What py/once/ls.py printed, os.ilistdir's (name, type, inode, size) rows, as `ls` shows
 * them: temporary files hidden, and so is the empty stand-in of a new file whose upload was cut
 * (mpy before 2026-12 made one, see py/ok.py `_clean`), as py/ls.py does on the board. Undefined when a row has no size (a
 * filesystem whose ilistdir gives 3-tuples). */
export function listedEntries(rows: unknown[][]): DirEntry[] | undefined {
  const names = new Set(rows.map((row) => row[0]));
  const entries: DirEntry[] = [];
  for (const [name, type, , size] of rows) {
    if (typeof name !== 'string' || typeof type !== 'number' || typeof size !== 'number') {
      return undefined;
    }
    if (isTemporary(name)) continue;
    const dir = type === 0x4000;
    if (!dir && size === 0 && names.has(`.${name}.mpy-new`)) continue;
    entries.push({ name, kind: dir ? 'dir' : 'file', size: dir ? 0 : size });
  }
  return entries;
}
