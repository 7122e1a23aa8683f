// src/board/helper-loader.ts: keeps track of which parts of the board helper (./py/) are in the
// board's RAM, sends missing ones in the same exec as the call that needs them, and reloads
// them once when a soft reset has wiped them.
import { deflateRawSync } from 'node:zlib';
import { BoardError } from '../errors.js';
import type { Capabilities } from '../repl/types.js';
import { pyBytes } from './py-literal.js';
import { type HelperPart, helperSource } from './py-source.js';

/** deflate window (1 KB) of compressed helper code and uploads, so DeflateIO fits small heaps. */
export const DEFLATE_WBITS = 10;

function isMissingHelper(error: unknown): boolean {
  return (
    error instanceof BoardError &&
    (error.type === 'NameError' || error.type === 'AttributeError') &&
    /_mpy/.test(error.value + error.traceback)
  );
}

/** Python that writes the 0x00 status byte and re-raises when `expression` fails. */
function statusGuard(expression: string): string {
  return `try:\n ${expression}\nexcept Exception:\n sys.stdout.buffer.write(b'\\x00')\n raise\n`;
}

/** What an action gets: the code to put before its own, and how to build `repl.start` code. */
export interface Prelude {
  code: string;
  /**
   * Code for `repl.start` that calls `_mpy.<fn>`: when the helper is gone (a soft reset cleared
   * it) the board writes the 0x00 status byte before the NameError, as the helpers do for their
   * own failures, so the host reads the error instead of waiting for protocol bytes.
   */
  start(fn: string, call: string): string;
}

/** The helper parts loaded on one connection. */
export class HelperLoader {
  private readonly loaded = new Set<HelperPart>();

  constructor(private readonly capabilities: () => Promise<Capabilities>) {}

  /** Missing parts as code, deflated and base64-encoded where the board can inflate it
   * (about 60 % of the bytes on the wire). */
  private prelude(parts: HelperPart[], caps: Capabilities): Prelude {
    const needed = (['core', ...parts] as HelperPart[]).filter((p) => !this.loaded.has(p));
    const withCore = needed.includes('core');
    let code = needed.map(helperSource).join('');
    if (caps.deflate && caps.binascii && code.length >= 512) {
      const packed = deflateRawSync(code, { windowBits: DEFLATE_WBITS, level: 9 });
      const literal = pyBytes(new TextEncoder().encode(packed.toString('base64')));
      code = `import deflate,io,binascii\nexec(deflate.DeflateIO(io.BytesIO(binascii.a2b_base64(${literal})),deflate.RAW,${DEFLATE_WBITS}).read().decode())\n`;
    }
    return {
      code,
      // `_mpy` is checked before a prelude that only adds to it, `_mpy.<fn>` after it
      start: (fn, call) =>
        `import sys\n${withCore ? '' : statusGuard('_mpy')}${code}${statusGuard(`_mpy.${fn}`)}${call}\n`,
    };
  }

  /**
   * Run `action` with the helper parts loaded (sent in the same exec as its call when missing).
   * A NameError about `_mpy` (globals cleared by a soft reset) reloads everything once.
   */
  async with<T>(parts: HelperPart[], action: (prelude: Prelude) => Promise<T>): Promise<T> {
    const caps = await this.capabilities();
    const all = ['core', ...parts] as HelperPart[];
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await action(this.prelude(parts, caps));
        for (const part of all) this.loaded.add(part);
        return result;
      } catch (error) {
        if (isMissingHelper(error) && attempt === 0) {
          this.loaded.clear();
          continue;
        }
        // the board ran the prelude when Python itself raised; after a link failure who knows
        if (error instanceof BoardError && !isMissingHelper(error)) {
          for (const part of all) this.loaded.add(part);
        } else this.loaded.clear();
        throw error;
      }
    }
  }
}
