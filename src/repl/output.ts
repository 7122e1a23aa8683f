// src/repl/output.ts: read what a finished raw-REPL run sends back: stdout `\x04` stderr `\x04` `>`.
import { BoardError, TimeoutError, TransportError } from '../errors.js';
import type { ByteReader } from '../transport/reader.js';
import {
  BOARD_RESET,
  CTRL_D,
  describeBytes,
  endsWithReboot,
  RAW_BANNER,
  SOFT_REBOOT,
} from './protocol.js';

const latin1 = new TextDecoder('latin1');

/** The two streams of one run. */
export interface RunResult {
  stdout: Uint8Array;
  stderr: Uint8Array;
}

function join(chunks: Uint8Array[]): Uint8Array {
  return Buffer.concat(chunks);
}

/** A rebooted board prints its banner and then waits for input; a program may print text that
 * ends the same way, and then its framing follows at once (in the same read or the next). */
const REBOOT_QUIET_MS = 200;

/** True when nothing arrives within `ms` (what came is put back for the caller). */
async function staysQuiet(reader: ByteReader, ms: number): Promise<boolean> {
  try {
    reader.unread(await reader.readSome(ms));
    return false;
  } catch (error) {
    if (error instanceof TimeoutError) return true;
    throw error;
  }
}

/**
 * Stdout up to its `\x04`, passing each piece to `onOutput` as it arrives. Only for text
 * protocols: binary stdout must be read by length (Execution.readExactly) since it may hold 0x04.
 */
export async function readStdout(
  reader: ByteReader,
  timeout: () => number,
  onOutput?: (data: Uint8Array) => void,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let tail = '';
  for (;;) {
    const data = await reader.readSome(timeout());
    const end = data.indexOf(CTRL_D);
    if (end < 0) {
      // A board that reboots mid-run never sends the framing: spot its banner instead of waiting.
      tail = (tail + latin1.decode(data)).slice(-300);
      if (endsWithReboot(tail) && (await staysQuiet(reader, REBOOT_QUIET_MS))) {
        throw new BoardError(BOARD_RESET, 'the board restarted while running the code', tail);
      }
    }
    const part = end < 0 ? data : data.subarray(0, end);
    if (part.length > 0) {
      chunks.push(part.slice());
      onOutput?.(part);
    }
    if (end >= 0) {
      reader.unread(data.subarray(end + 1));
      return join(chunks);
    }
  }
}

/** After stdout's `\x04`: stderr up to its `\x04`, then the `>` prompt. */
export async function readStderrAndPrompt(
  reader: ByteReader,
  timeout: () => number,
): Promise<Uint8Array> {
  const stderr = await reader.readUntil(Uint8Array.of(CTRL_D), timeout());
  const prompt = await reader.readExactly(1, timeout());
  if (prompt[0] !== 0x3e) {
    reader.unread(prompt);
    await readSoftReboot(reader, timeout);
  }
  return stderr.subarray(0, stderr.length - 1);
}

/** The first line of a soft reboot (`soft reboot` alone before MicroPython 1.20). */
const REBOOT_LINES = [`MPY: ${SOFT_REBOOT}`, SOFT_REBOOT];
/** Longest wait for each part of a soft reboot (boot.py runs before the banner). */
const REBOOT_MS = 10_000;

/**
 * Code that ends with `sys.exit()` (or `machine.soft_reset()`) makes current firmware soft-reset
 * right after the framing: `\x04\x04MPY: soft reboot\r\n`, boot.py's output, then the raw
 * banner in place of the bare `>`. The run itself finished; wait for the board to be back at the
 * raw prompt. Any other byte instead of `>` is a TransportError at once.
 */
async function readSoftReboot(reader: ByteReader, timeout: () => number): Promise<void> {
  const limit = () => Math.min(timeout(), REBOOT_MS);
  let seen = new Uint8Array(0);
  for (;;) {
    seen = Buffer.concat([seen, await reader.readSome(limit())]);
    const text = latin1.decode(seen);
    const line = REBOOT_LINES.find((l) => text.startsWith(l));
    if (line) {
      reader.unread(seen.subarray(line.length));
      break;
    }
    if (!REBOOT_LINES.some((l) => l.startsWith(text))) {
      const received = Uint8Array.of(...seen, ...reader.readAvailable());
      throw new TransportError(`expected the raw prompt, got ${describeBytes(received)}`, {
        received,
      });
    }
  }
  await reader.readUntil(RAW_BANNER, limit());
}

/** The whole tail of a run. */
export async function readResult(
  reader: ByteReader,
  timeout: () => number,
  onOutput?: (data: Uint8Array) => void,
): Promise<RunResult> {
  const stdout = await readStdout(reader, timeout, onOutput);
  const stderr = await readStderrAndPrompt(reader, timeout);
  return { stdout, stderr };
}
