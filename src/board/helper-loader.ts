// src/board/helper-loader.ts: keeps track of which parts of the board helper (./py/) are in the
// board's RAM, sends missing ones with (or just before) the call that needs them, compressed
// where the board can inflate them, and reloads them once when a soft reset has wiped them.
import { deflateRawSync } from 'node:zlib';
import { BoardError } from '../errors.js';
import type { Capabilities, ProbeAnswer } from '../repl/types.js';
import { pyBytes, pyValue } from './py-literal.js';
import {
  type HelperPart,
  helperSource,
  helperVersion,
  isHelperPart,
  withNeeds,
} from './py-source.js';

/** deflate window (1 KB) of compressed helper code and uploads, so DeflateIO fits small heaps. */
export const DEFLATE_WBITS = 10;

/** Below this much free heap a board gets one part per exec (compiling them all at once does not
 * fit: the micro:bit v1 has about 9 KB). */
export const SMALL_HEAP = 48 * 1024;

/** Removes the helper from the board's RAM (at the end of a session on a small board, or before
 * loading it again there). */
export const FREE_HELPER =
  "for _n in ('_mpy','_mpyc','_mpyR','_B'):\n try:del globals()[_n]\n except:pass\ndel _n\nimport gc\ngc.collect()\n";

/** Code shorter than this is not worth compressing (the inflating wrapper costs ~110 bytes). */
const COMPRESS_FROM = 400;

/** How compressed helper code starts. */
const PACKED = 'import deflate';

/** `code` deflated (1 KB window) and base64'd in a short program that inflates and runs it, for
 * boards with `deflate` and `binascii`. */
export function packedCode(code: string): string {
  const packed = deflateRawSync(code, { windowBits: DEFLATE_WBITS, level: 9 });
  const literal = pyBytes(new TextEncoder().encode(packed.toString('base64')));
  return `${PACKED},io,binascii\nexec(deflate.DeflateIO(io.BytesIO(binascii.a2b_base64(${literal})),deflate.RAW,${DEFLATE_WBITS}).read().decode())\n`;
}

/** True for a board with little free heap (see SMALL_HEAP). */
export function isSmall(caps: Capabilities): boolean {
  return caps.memFree >= 0 && caps.memFree < SMALL_HEAP;
}

/**
 * Run `code` with `exec`, again (three tries in all) when the board answers SyntaxError: boards
 * without raw-paste get code with no flow control, so a busy board can drop a byte, and a
 * SyntaxError means nothing ran. A byte lost inside a literal is caught by a digest check.
 */
export async function execResent<T>(exec: (code: string) => Promise<T>, code: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await exec(code);
    } catch (error) {
      if (!(error instanceof BoardError && error.type === 'SyntaxError') || attempt === 3) {
        throw error;
      }
    }
  }
}

/** Total source size of some parts. */
function size(parts: Iterable<HelperPart>): number {
  let total = 0;
  for (const part of parts) total += helperSource(part).length;
  return total;
}

/** What a part defines, to take it out again: `_mpy.NAME = ...` and top-level classes. */
function partNames(part: HelperPart): string[] {
  const source = helperSource(part);
  const attributes = [...source.matchAll(/^_mpy\.(\w+)=/gm)].map((m) => `_mpy.${m[1]}`);
  const classes = [...source.matchAll(/^class (_mpy\w+)/gm)].map((m) => m[1]!);
  return [...attributes, ...classes];
}

/**
 * A helper the board no longer holds (a soft reset wiped it: NameError or AttributeError about
 * `_mpy`), or one that arrived damaged: code sent without raw-paste has no flow control, and a
 * byte dropped inside a name still compiles (`_mpyc` as `mpyc`), failing only when it runs. Only
 * helper code runs in `with`, so any other NameError is that.
 */
function isMissingHelper(error: unknown): boolean {
  if (!(error instanceof BoardError)) return false;
  if (error.type === 'NameError') return true;
  return error.type === 'AttributeError' && /_mpy/.test(error.value + error.traceback);
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

/** What the loader needs from the board session. */
export interface LoaderLink {
  capabilities(): Promise<Capabilities>;
  /** The probe's answer, kept on the board with the helper for the next connection. */
  probe(): ProbeAnswer;
  exec(code: string): Promise<unknown>;
  debug(line: string): void;
  /** Soft resets the session made so far (see `Repl.softResets`), when it counts them. */
  softResets?(): number;
}

/** The helper parts loaded on one connection. */
export class HelperLoader {
  /** Parts on the board, oldest use first. */
  private readonly loaded = new Map<HelperPart, true>();
  private compress = true;
  /** `link.softResets()` when `loaded` was last right. */
  private resetsSeen: number | undefined;

  constructor(private readonly link: LoaderLink) {
    this.resetsSeen = link.softResets?.();
  }

  /** A soft reset this session made wiped the helper: send it again without trying first. */
  private forgetIfReset(): void {
    const resets = this.link.softResets?.();
    if (resets === this.resetsSeen) return;
    this.resetsSeen = resets;
    this.loaded.clear();
  }

  /** Parts a helper left by an earlier connection holds (`_mpy.L`), when its version is ours. */
  adopt(parts: string): void {
    for (const name of parts.split(' ')) if (isHelperPart(name)) this.loaded.set(name, true);
  }

  /** The source of `part` as it is sent; on boards with room, with what lets the next
   * connection reuse it (py/reuse.py): the version, the probe's answer, the parts' names. */
  private partCode(part: HelperPart, reusable: boolean): string {
    if (!reusable || part === 'core') return helperSource(part);
    const mark = `_mpy.L+=' ${part}'\n`;
    if (part !== 'reuse') return helperSource(part) + mark;
    const probe = pyValue(this.link.probe());
    return `${helperSource(part)}_mpy.V='${helperVersion()}'\n_mpy.C=${probe}\n_mpy.L=' core'\n${mark}`;
  }

  private pack(code: string, caps: Capabilities): string {
    if (!this.compress || !caps.deflate || !caps.binascii || code.length < COMPRESS_FROM) {
      return code;
    }
    return packedCode(code);
  }

  /** The missing parts as execs: one on boards with room, else a few small ones. */
  private missingCode(all: HelperPart[], caps: Capabilities): string[] {
    const needed = all.filter((p) => !this.loaded.has(p));
    if (needed.length === 0) return [];
    if (isSmall(caps)) {
      // A long session (mount, watch) on a tiny heap would gather every part. Past a
      // quarter of the free heap in source (a third of it once compiled, and the heap
      // fragments), parts this call does not need go first, least recently used first.
      const room = caps.memFree / 4 - size(needed);
      const evict: HelperPart[] = [];
      for (const part of [...this.loaded.keys()].filter((p) => !all.includes(p))) {
        if (size(this.loaded.keys()) - size(evict) <= room) break;
        evict.push(part);
      }
      for (const part of evict) this.loaded.delete(part);
      const first = evict
        .flatMap(partNames)
        .map((name) => `try:del ${name}\nexcept:pass\n`)
        .join('');
      // Parts grouped in execs of at most a sixteenth of the free heap (compiling takes several
      // times the source), each ending with a collect so the raw REPL's input buffer finds room
      // for the next; the action goes alone.
      const limit = Math.max(300, caps.memFree / 16);
      const groups = [''];
      for (const code of needed.map((part) => this.partCode(part, false))) {
        const last = groups.length - 1;
        if (groups[last] && groups[last]!.length + code.length > limit) groups.push('');
        groups[groups.length - 1] += code;
      }
      // A collect first, in an exec of its own: the parts are then compiled into a heap
      // without the last operation's garbage, so they pack together instead of between it.
      const collect = 'import gc\ngc.collect()\n';
      return [`${first}${collect}`, ...groups.map((group) => `${group}${collect}`), ''];
    }
    return [this.pack(needed.map((part) => this.partCode(part, true)).join(''), caps)];
  }

  /** Send the missing parts of `parts` now (e.g. what `watch` needs, before the first edit). */
  async preload(parts: HelperPart[]): Promise<void> {
    await this.with(parts, async (prelude) => {
      if (prelude.code) await this.link.exec(prelude.code);
    });
  }

  /**
   * Run `action` with the helper parts loaded (sent in the same exec as its call when missing,
   * on boards with room; else in execs of their own first). A NameError about `_mpy` (globals
   * cleared by a soft reset) reloads everything once; a failure of the compressed form sends
   * it plainly from then on.
   */
  async with<T>(parts: HelperPart[], action: (prelude: Prelude) => Promise<T>): Promise<T> {
    const caps = await this.link.capabilities();
    this.forgetIfReset();
    // boards with room keep the helper for the next connection
    const all = withNeeds(isSmall(caps) ? parts : ['reuse', ...parts], caps);
    let reloaded = false;
    for (;;) {
      const codes = this.missingCode(all, caps);
      const code = codes.at(-1) ?? '';
      try {
        // All but the last go first, on their own; the last travels with the action's code.
        for (const first of codes.slice(0, -1)) await this.sendPart(first);
        const result = await action({
          code,
          startCode: async (fn, call) => {
            if (code) {
              await this.link.exec(code);
              return `${call}\n`;
            }
            return `import sys\n${statusGuard('_mpy')}${statusGuard(`_mpy.${fn}`)}${call}\n`;
          },
        });
        for (const part of all) {
          this.loaded.delete(part);
          this.loaded.set(part, true);
        }
        return result;
      } catch (error) {
        if (isMissingHelper(error) && !reloaded) {
          reloaded = true;
          this.loaded.clear();
          continue;
        }
        if (codes.some((c) => c.startsWith(PACKED)) && this.isPackingFailure(error)) {
          this.link.debug(`compressed helper code failed (${String(error)}): sending it plainly`);
          this.compress = false;
          this.loaded.clear();
          continue;
        }
        // the board ran the prelude when Python itself raised; after a link failure who knows
        if (error instanceof BoardError && !isMissingHelper(error)) {
          for (const part of all) this.loaded.set(part, true);
        } else this.loaded.clear();
        throw error;
      }
    }
  }

  /** Helper code in an exec of its own, sent again if it arrived damaged (see execResent). */
  private async sendPart(code: string): Promise<void> {
    await execResent(this.link.exec, code);
  }

  /** An error of the inflating wrapper itself (not of the helper or the action). */
  private isPackingFailure(error: unknown): boolean {
    return (
      this.compress &&
      error instanceof BoardError &&
      !isMissingHelper(error) &&
      /deflate|binascii|DeflateIO|a2b_base64|decode/i.test(error.value + error.traceback)
    );
  }
}
