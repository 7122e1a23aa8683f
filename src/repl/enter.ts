// src/repl/enter.ts: get a board of unknown state (booting, running a main.py that prints in a
// loop, at the friendly prompt, already raw) to a quiet raw prompt, by polling, never sleeping.
import { NoRawPromptError, TimeoutError } from '../errors.js';
import type { ByteReader } from '../transport/reader.js';
import { CTRL_C, describeBytes, ENTER_RAW, INTERRUPT, RAW_BANNER } from './protocol.js';

/** Silence that counts as "the board stopped printing". */
export const QUIET_MS = 50;
/** The same on a link that keeps bytes safe (WebREPL): what the board prints comes in order,
 * in frames, so what would follow a stale banner is already here or a moment behind it. */
const QUIET_LOSSLESS_MS = 5;
/** Longest wait for one attempt's banner; a board that is still booting gets another attempt. */
const ATTEMPT_MS = 1000;
/** Bytes kept for the error message. */
const KEEP = 2048;
/** Larger than the read window a board-side transfer waits for. */
const FLUSH_STDIN = new Uint8Array(512).fill(CTRL_C);

/** The first attempt's bytes: a link may send them as it opens (WebREPL: right after the
 * password, a round trip sooner), and say so with `Transport.sentAtOpen`. */
export const FIRST_ATTEMPT = Uint8Array.of(...INTERRUPT, ...ENTER_RAW);

/** How `enterRawRepl` may go faster on a link that allows it. */
export interface EnterOptions {
  /** The link keeps bytes safe (`Transport.bufferedBytes`): a short quiet wait is enough. */
  lossless?: boolean;
  /** `FIRST_ATTEMPT` already went out (with the login): the first attempt only listens. */
  firstSent?: boolean;
  /**
   * Take the first attempt's banner without waiting for silence after it, when nothing else
   * has arrived behind it yet: the caller confirms the prompt with its next exchange (the
   * raw-paste request's answer, see code-sender.ts `strict`) and enters again the slow way when
   * something else answers. Saves the quiet wait (50 ms) on every connection.
   */
  confirmLater?: boolean;
}

/**
 * Interrupt and enter the raw REPL, retrying until `timeoutMs`: each attempt sends Ctrl-C, lets
 * the board finish printing, sends Ctrl-A, and accepts the banner only when nothing follows it
 * (so a banner seen in the middle of a reboot or of a printing loop does not count). On failure
 * the bytes received are in the NoRawPromptError, not on the user's terminal. Returns false when
 * the prompt still needs confirming (`confirmLater`), true when the board was seen quiet.
 */
export async function enterRawRepl(
  reader: ByteReader,
  write: (data: Uint8Array) => Promise<void>,
  timeoutMs: number,
  options: EnterOptions = {},
): Promise<boolean> {
  const quietMs = options.lossless ? QUIET_LOSSLESS_MS : QUIET_MS;
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(0, deadline - Date.now());
  let seen = new Uint8Array(0);
  const keep = (data: Uint8Array) => {
    seen = Buffer.concat([seen, data]).subarray(-KEEP);
  };
  let attempt = 0;
  do {
    if (attempt === 0) {
      // Optimistic: an idle board (the usual case) answers at once. The UART queues Ctrl-A
      // behind the Ctrl-Cs, so a running program is stopped before the REPL sees it.
      if (!options.firstSent) await write(FIRST_ATTEMPT);
    } else {
      // A program reading binary stdin with Ctrl-C disabled (kbd_intr(-1)) takes our Ctrl-Cs
      // as data; on the third attempt (and every fifth after) feed it enough of them to finish
      // its read and fail. Not on every attempt: a board still sending old output (a main.py
      // that printed into a deep buffer) needs time, not a flood.
      if (attempt >= 2 && (attempt - 2) % 5 === 0) await write(FLUSH_STDIN);
      await write(INTERRUPT);
      keep(await reader.drain(QUIET_MS, Math.min(ATTEMPT_MS, left())));
      await write(ENTER_RAW);
    }
    attempt++;
    try {
      keep(await reader.readUntil(RAW_BANNER, Math.min(ATTEMPT_MS, left())));
      if (attempt === 1 && options.confirmLater && reader.available === 0) return false;
      const after = await reader.drain(quietMs, quietMs * 2);
      if (after.length === 0) return true;
      keep(after);
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      keep(reader.readAvailable());
    }
  } while (left() > 0);
  const what = seen.length > 0 ? `it sent: ${describeBytes(seen)}` : 'it sent nothing';
  throw new NoRawPromptError(
    `no raw REPL prompt from ${reader.transport.description} within ${timeoutMs} ms (${what}); ` +
      'the board ignores Ctrl-C or is stuck: reset it (button or power) and try again',
    { received: seen },
  );
}
