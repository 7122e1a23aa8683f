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

/** What an action gets: the code to put before its own, or a way to send it first. */
export interface Prelude {
  code: string;
  /**
   * For `repl.start`: send the missing parts in an exec of their own first (a compile error or
   * MemoryError of a big prelude is then an ordinary BoardError, not a protocol surprise), and
   * return the code that calls `_mpy.<fn>`. When the parts were loaded earlier the board writes
   * the 0x00 status byte before the NameError should a soft reset have wiped them, as the
   * helpers do for their own failures, so the host reads the error instead of protocol bytes.
   */
  startCode(fn: string, call: string): Promise<string>;
}

/** The helper parts loaded on one connection. */
export class HelperLoader {
  private readonly loaded = new Set<HelperPart>();

  constructor(
    private readonly capabilities: () => Promise<Capabilities>,
    private readonly exec: (code: string) => Promise<unknown>,
  ) {}

  /** Missing parts as code, deflated and base64-encoded where the board can inflate it
   * (about 60 % of the bytes on the wire). */
  private prelude(all: HelperPart[], caps: Capabilities): Prelude {
    const needed = all.filter((p) => !this.loaded.has(p));
    let code = needed.map(helperSource).join('');
    if (caps.deflate && caps.binascii && code.length >= 512) {
      const packed = deflateRawSync(code, { windowBits: DEFLATE_WBITS, level: 9 });
      const literal = pyBytes(new TextEncoder().encode(packed.toString('base64')));
      code = `import deflate,io,binascii\nexec(deflate.DeflateIO(io.BytesIO(binascii.a2b_base64(${literal})),deflate.RAW,${DEFLATE_WBITS}).read().decode())\n`;
    }
    return {
      code,
      startCode: async (fn, call) => {
        if (code) {
          await this.exec(code);
          return `${call}\n`;
        }
        return `import sys\n${statusGuard('_mpy')}${statusGuard(`_mpy.${fn}`)}${call}\n`;
      },
    };
  }

  /**
   * Run `action` with the helper parts loaded (sent in the same exec as its call when missing).
   * A NameError about `_mpy` (globals cleared by a soft reset) reloads everything once.
   */
  async with<T>(parts: HelperPart[], action: (prelude: Prelude) => Promise<T>): Promise<T> {
    const caps = await this.capabilities();
    // Only `_mpy.st` (plain calls and the fs part) needs the legacy stat; transfers do not, and
    // on a tiny board every helper byte counts against the file being sent.
    const needsStat = parts.length === 0 || parts.includes('fs');
    const base: HelperPart[] = caps.osStat || !needsStat ? ['core'] : ['core', 'legacy'];
    const all = [...base, ...parts];
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await action(this.prelude(all, caps));
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
