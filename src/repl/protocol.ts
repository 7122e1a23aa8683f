// src/repl/protocol.ts: the raw REPL's control bytes and banners, and turning the board's error
// text into a BoardError.
import { BoardError } from '../errors.js';

export const CTRL_A = 0x01;
export const CTRL_B = 0x02;
export const CTRL_C = 0x03;
export const CTRL_D = 0x04;

/** Sent to stop whatever runs: `\r` ends a half-typed friendly line, two Ctrl-C because a
 * program may catch the first KeyboardInterrupt in a `try/finally`. */
export const INTERRUPT = Uint8Array.of(0x0d, CTRL_C, CTRL_C);
/** Ctrl-A (with `\r` first, as mpremote does, so a partial friendly line does not swallow it). */
export const ENTER_RAW = Uint8Array.of(0x0d, CTRL_A);
/** The board's answer to Ctrl-A, ending with the raw prompt. */
export const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n>';
/** The friendly REPL's prompt, which ends its banner. */
export const FRIENDLY_PROMPT = '>>> ';
/** Ctrl-E `A` Ctrl-A asks for raw-paste mode. */
export const RAW_PASTE_REQUEST = Uint8Array.of(0x05, 0x41, CTRL_A);
/** What every soft reboot prints (`MPY: soft reboot` on current firmware, `soft reboot` before). */
export const SOFT_REBOOT = 'soft reboot\r\n';

const latin1 = new TextDecoder('latin1');

/** Bytes as printable text for messages: control bytes as `\xNN`, at most `max` from the end. */
export function describeBytes(data: Uint8Array, max = 200): string {
  const tail = data.length > max ? data.subarray(data.length - max) : data;
  const text = latin1
    .decode(tail)
    .replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return data.length > max ? `…${text}` : text;
}

/**
 * The exception in a MicroPython traceback: the text after the last `  File ...` line is
 * `Type: value` (the value may span lines). Text that is not a traceback becomes `Error: text`.
 */
export function parseBoardError(stderr: string): BoardError {
  const text = stderr.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const lines = text.split('\n');
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s+File "/.test(lines[i]!) || lines[i]!.startsWith('Traceback ')) start = i + 1;
  }
  const tail = lines.slice(start).join('\n').trim();
  const match = /^([A-Za-z_][\w.]*)(?::\s?([\s\S]*))?$/.exec(tail);
  if (match && !/\s/.test(match[1]!)) return new BoardError(match[1]!, match[2] ?? '', stderr);
  return new BoardError('Error', tail || text, stderr);
}

/** `BoardError.type` when the board restarted while running our code (watchdog, brown-out, a
 * `machine.reset()` in the code, or the virtual board restarting on an uninterruptible loop). */
export const BOARD_RESET = 'BoardReset';

/** The friendly banner and prompt every reboot ends with. */
const REBOOT_TAIL = /MicroPython v[^\r\n]*\r\nType "help\(\)" for more information\.\r\n>>> $/;

/** What a board prints as it restarts: the soft reboot line, or the banner's first line. */
const REBOOT_MARK = /soft reboot\r\n|MicroPython v\d[^\r\n]*\r\n/;

/** True when `text` holds what a restarting board prints (see REBOOT_MARK). */
export function showsReboot(text: string): boolean {
  return REBOOT_MARK.test(text);
}

/** True when `tail` (the latest output) ends with the banner of a freshly booted board. */
export function endsWithReboot(tail: string): boolean {
  return REBOOT_TAIL.test(tail);
}
