// src/board/transfer.ts: the host side of the byte-moving protocols of the board helper
// (py/put.py, py/get.py, py/text.py): windowed raw upload, framed raw download, and the text
// fallbacks for boards without binary stdin/stdout.
import { TimeoutError, TransportError } from '../errors.js';
import { parsePythonLiteral } from '../repl/literal.js';
import { CTRL_D } from '../repl/protocol.js';
import type { Execution } from '../repl/types.js';
import { unpack } from './pack.js';
import { pyBytes, pyStr } from './py-literal.js';

/** Flow control of a raw upload: the board acknowledges every `window` bytes it has taken from
 * stdin; at most `inFlight` windows are unacknowledged, so the board's receive buffer (at least
 * `window * inFlight` bytes) never overflows. */
export interface WindowOptions {
  window: number;
  inFlight: number;
  /** Longest wait for the board to confirm it read the sync byte: the first use of a board's
   * stdin, which may carry nothing. Unset: the usual answer timeout. */
  confirmMs?: number;
  /** Ctrl-C on the host: stop sending payload and end the board's read (see `abandonUpload`). */
  signal?: AbortSignal | undefined;
}

/** The byte that shows the board reads our stdin, sent before any payload; a newline is
 * harmless if it ends up in the REPL instead. */
const SYNC = Uint8Array.of(0x0a);

/** How long a board told to give up an upload gets to say it did (it has a window or two of
 * bytes to read first, then it removes the temp file). */
const ABANDON_MS = 2000;

/**
 * Run `protocol` on a started execution; when it fails on our side (bytes that make no sense),
 * still wait for the program to end, so the REPL session is recovered and released rather
 * than left to the caller who gave up. Failures of the execution itself pass through.
 */
export async function driveExecution<T>(
  execution: Execution,
  protocol: (execution: Execution) => Promise<T>,
): Promise<T> {
  try {
    return await protocol(execution);
  } catch (error) {
    await execution.finish(2000).catch(() => {});
    throw error;
  }
}

/**
 * Wait for the status byte a helper writes before its binary protocol: 0x01 to go on; 0x00 when
 * it failed first (then `finish` throws the board's error, e.g. ENOENT for a missing folder).
 */
export async function expectReady(execution: Execution, timeoutMs?: number): Promise<void> {
  const status = await execution.readExactly(1, timeoutMs);
  if (status[0] === 1) return;
  // 0x04 ends the program's output: it failed before its protocol began (no sys.stdout.buffer,
  // say), and `finish` throws what it raised
  if (status[0] === 4 && execution.unread) {
    execution.unread(status);
    await execution.finish();
  }
  if (status[0] === 0) await execution.finish();
  throw await unexpectedBytes(execution, status, 'unexpected answer from the board helper');
}

/** What a board prints as it starts again: a soft reboot's first line (`MPY: soft reboot`, or
 * `soft reboot` before 1.20), or the banner after a hard reset or a power cut. */
const RESET_SIGNS = /soft reboot|MicroPython v/;
/** How long to listen for a reset's words once a wrong byte came: an ESP32 prints its ROM's
 * boot lines for about a second before MicroPython's banner. */
const RESET_LISTEN_MS = 2000;
/** Enough for the ROM lines and the banner. */
const RESET_LISTEN_BYTES = 4096;

/**
 * The error for `received` where the protocol wanted other bytes. A board that reset mid-transfer
 * sends its reboot text instead: read on, line by line, while it could still come, so the
 * message can say so rather than show the first of its bytes. Not after `\x04`: that is the
 * helper's own end (its error follows), which the caller's `finish` reads and recovers from.
 */
async function unexpectedBytes(
  execution: Execution,
  received: Uint8Array,
  message: string,
): Promise<TransportError> {
  let seen = received;
  const text = () => Buffer.from(seen).toString('latin1');
  const end = Date.now() + RESET_LISTEN_MS;
  const listen = () =>
    received[0] !== CTRL_D &&
    !RESET_SIGNS.test(text()) &&
    seen.length < RESET_LISTEN_BYTES &&
    Date.now() < end;
  while (listen()) {
    try {
      seen = Buffer.concat([seen, await execution.readUntil('\n', end - Date.now())]);
    } catch {
      // quiet, or gone: what came is all there is
      break;
    }
  }
  if (RESET_SIGNS.test(text())) {
    return new BoardReset(
      'the board reset during the transfer (the file on the board is as it was)',
      {
        received: seen,
      },
    );
  }
  return new TransportError(message, { received: seen });
}

/**
 * True when a full window of `wire` is nothing but Ctrl-C bytes: py/put.py takes such a window
 * for a reconnecting host's interrupt and gives up, so that data must travel another way.
 */
export function hasInterruptWindow(wire: Uint8Array, window: number): boolean {
  for (let start = 0; start + window <= wire.length; start += window) {
    if (wire.subarray(start, start + window).every((b) => b === 3)) return true;
  }
  return false;
}

async function readAcks(execution: Execution, count: number): Promise<void> {
  const acks = await execution.readExactly(count);
  const wrong = acks.findIndex((b) => b !== 1);
  if (wrong >= 0) {
    const message = 'unexpected bytes instead of upload acknowledgements';
    throw await unexpectedBytes(execution, acks.subarray(wrong), message);
  }
}

/**
 * Send `wire` to a running `_mpy.put`: wait for the ready byte, send the sync byte and wait for
 * the board to confirm it (so nothing is sent to a stdin that carries nothing), then keep at
 * most `inFlight` windows unacknowledged, and take every acknowledgement the board sends.
 * `onSent` gets the count of wire bytes sent so far.
 */
export async function sendWindowed(
  execution: Execution,
  wire: Uint8Array,
  { window, inFlight, confirmMs, signal }: WindowOptions,
  onSent?: (sent: number) => void,
): Promise<void> {
  await expectReady(execution);
  await execution.write(SYNC);
  await confirmSync(execution, wire.length, window, confirmMs);
  let sent = 0;
  let acked = 0;
  while (sent < wire.length) {
    if (signal?.aborted) {
      await abandonUpload(execution, wire.length, sent, window);
      signal.throwIfAborted();
    }
    const allowed = (acked + inFlight) * window - sent;
    if (allowed <= 0) {
      await readAcks(execution, 1);
      acked++;
      continue;
    }
    const end = sent + Math.min(allowed, wire.length - sent);
    await execution.write(wire.subarray(sent, end));
    sent = end;
    onSent?.(sent);
  }
  const total = Math.floor(wire.length / window);
  if (total > acked) await readAcks(execution, total - acked);
}

/**
 * The board's stdin still unproven, its answer to the sync byte is awaited `confirmMs` at most,
 * and then it is told to give up as `abandonUpload` does, without the read timing out: a board
 * that only answers late (a host under load) may already have read the sync byte and turned
 * Ctrl-C off, and a timeout would interrupt it with a Ctrl-C that it takes for data, leaving it
 * reading stdin for good. What was sent ends every case: a board still waiting for the sync byte
 * (Ctrl-C on) is interrupted; one past it takes the bytes as a window of Ctrl-C (or as the whole,
 * wrong, payload) and gives up, the old file kept. Its late `0x01` shows that stdin works:
 * `SlowConfirm` then, for the caller to send again; a board that never read stdin ends with
 * KeyboardInterrupt, the stdin failure the caller falls back on.
 */
async function confirmSync(
  execution: Execution,
  total: number,
  window: number,
  confirmMs: number | undefined,
): Promise<void> {
  if (confirmMs === undefined) return expectReady(execution);
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    const pad = new Uint8Array(Math.max(1, Math.min(total, window))).fill(3);
    execution.write(pad).catch(() => {});
  }, confirmMs);
  try {
    await expectReady(execution);
  } catch (error) {
    // Told to give up after the deadline, the board restarted instead (the unix port dies of a
    // Ctrl-C that lands just as its code ends): its stdin never answered, as one that carries
    // nothing, and the caller goes the text way.
    if (late && error instanceof BoardReset) {
      throw new TimeoutError(`the board's stdin did not answer within ${confirmMs} ms`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (!late) return;
  await execution.finish(ABANDON_MS).catch(() => {});
  throw new SlowConfirm(
    `the board confirmed its stdin only after ${confirmMs} ms, when it had been told to give up`,
  );
}

/** The board restarted in the middle of a transfer (its reboot text came instead). */
export class BoardReset extends TransportError {}

/** The board's stdin works but answered the first sync late; the upload was given up, the old
 * file kept: it can go again, without the deadline. */
export class SlowConfirm extends TransportError {}

/**
 * Stop an upload halfway so that the board gives up on its own, with the old file kept: the
 * board reads stdin with Ctrl-C off, so Ctrl-C bytes are data to it, but py/put.py takes a
 * whole window of them for an interrupt (KeyboardInterrupt, temp file removed). Send exactly
 * what fills the window under way and one more, no more: a byte left over would reach the
 * board after it turned Ctrl-C back on and could interrupt that cleanup. Where fewer bytes than
 * that are left, they all become Ctrl-C: the digest check then fails and the temp file goes.
 * Then wait for the program to end, as `driveExecution` does; the board is at its raw prompt.
 */
async function abandonUpload(
  execution: Execution,
  total: number,
  sent: number,
  window: number,
): Promise<void> {
  const partial = (window - (sent % window)) % window;
  const pad = Math.min(total - sent, partial + window);
  await execution.write(new Uint8Array(pad).fill(3));
  await execution.finish(ABANDON_MS).catch(() => {});
}

/** Read a `_mpy.get` answer: a decimal size line, then exactly that many raw bytes (or, after
 * `N z`, py/once/gz.py's packed tokens for N bytes, see ./pack.ts). `signal`
 * (Ctrl-C) abandons the download: the board is interrupted and back at its raw prompt. */
export async function receiveFramed(
  execution: Execution,
  onReceived?: (received: number, total: number) => void,
  firstByteMs?: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  await expectReady(execution, firstByteMs);
  const header = new TextDecoder().decode(await execution.readUntil('\n'));
  const match = /(\d+)( z)?\s*$/.exec(header);
  if (!match) {
    throw new TransportError('bad download header from the board', {
      received: new TextEncoder().encode(header),
    });
  }
  const size = Number(match[1]);
  if (match[2]) {
    // packed on the board (py/once/gz.py); Ctrl-C is looked at between tokens
    return unpack(
      (n) => execution.readExactly(n),
      size,
      (done) => onReceived?.(done, size),
      async () => {
        if (signal?.aborted && execution.abandon) {
          await execution.abandon();
          signal.throwIfAborted();
        }
      },
    );
  }
  const data = new Uint8Array(size);
  // read in slices so progress can be shown for big files, and Ctrl-C seen within 0.1 s at
  // 115200 baud
  const slice = 1024;
  for (let at = 0; at < size; ) {
    if (signal?.aborted && execution.abandon) {
      await execution.abandon();
      signal.throwIfAborted();
    }
    const part = await execution.readExactly(Math.min(slice, size - at));
    data.set(part, at);
    at += part.length;
    onReceived?.(at, size);
  }
  return data;
}

/** Decode the lines `_mpy.tg` prints: base64 where the board has binascii, else each line a
 * bytes repr (`b'...'`, parsed, never evaluated) or hex. */
export function decodeTextLines(text: string, base64: boolean): Uint8Array {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const parts = lines.map((line) => {
    if (base64) return Buffer.from(line.trim(), 'base64');
    if (/^b['"]/.test(line)) {
      const value = parsePythonLiteral(line);
      if (value instanceof Uint8Array) return value;
    }
    if (!/^([0-9a-f]{2})+$/.test(line.trim())) {
      throw new TransportError('bad download line from the board', {
        received: new TextEncoder().encode(line.slice(0, 200)),
      });
    }
    return Buffer.from(line.trim(), 'hex');
  });
  return new Uint8Array(Buffer.concat(parts));
}

/** One exec of a text upload and the payload offset it reaches. */
export interface TextChunk {
  code: string;
  end: number;
}

/** The length of `byte` inside a bytes literal (see pyBytes). */
function literalLength(byte: number): number {
  if (byte === 0x27 || byte === 0x5c || byte === 10 || byte === 13 || byte === 9) return 2;
  return byte >= 0x20 && byte < 0x7f ? 1 : 4;
}

/**
 * The execs of a text upload to `_mpyc` (py/tput.py): open the temp file with the first chunk,
 * one exec per chunk (bytes literals, or base64 where the board has binascii), then close,
 * verify and commit. Each literal is at most `literal` characters, whatever the content (a
 * binary byte takes four): what the smallest heaps can compile is the code's size.
 */
export function textUploadCode(
  temp: string,
  data: Uint8Array,
  literal: number,
  base64: boolean,
): TextChunk[] {
  const codes: TextChunk[] = [];
  for (let at = 0; at === 0 || at < data.length; ) {
    let end = at;
    if (base64) end = Math.min(data.length, at + Math.max(3, Math.floor(literal / 4) * 3));
    else {
      for (let used = 0; end < data.length && used + literalLength(data[end]!) <= literal; end++) {
        used += literalLength(data[end]!);
      }
    }
    const part = data.subarray(at, end);
    // base64 travels as bytes: some binascii ports take no str
    const call = base64
      ? `_mpyc.b(${pyBytes(Buffer.from(Buffer.from(part).toString('base64')))})`
      : `_mpyc.w(${pyBytes(part)})`;
    codes.push({ code: `${at === 0 ? `_mpyc.o(${pyStr(temp)})\n` : ''}${call}`, end });
    if (end === at) break;
    at = end;
  }
  return codes;
}
