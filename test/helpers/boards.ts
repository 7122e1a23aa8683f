// test/helpers/boards.ts: open a virtual board the ways a user can reach one (in-process, over a
// pty through the real serial transport, legacy firmware over a pty), so end-to-end tests run the
// same cases against each.
import { RawRepl, type RawReplOptions } from '../../src/repl/raw-repl.js';
import { type SimOptions, servePty, VirtualBoard } from '../../src/sim/index.js';
import { openSerial } from '../../src/transport/serial.js';
import type { Transport } from '../../src/transport/transport.js';

/** How the test reaches the board. */
export type BoardKind = 'inproc' | 'pty' | 'pty-legacy';

/** Every kind, for `for (const kind of BOARD_KINDS)` suites. */
export const BOARD_KINDS: BoardKind[] = ['inproc', 'pty', 'pty-legacy'];

/** An open board and everything needed to poke at it. */
export interface TestBoard {
  kind: BoardKind;
  repl: RawRepl;
  transport: Transport;
  board: VirtualBoard;
  /** The pty path for the pty kinds (another program may try to open it). */
  ptyPath?: string;
  /** Close the session, the pty and the board. Idempotent. */
  close(): Promise<void>;
}

/** Options: the sim's (profile/baud are set by the kind unless given) plus the REPL's. */
export interface TestBoardOptions extends SimOptions {
  repl?: RawReplOptions;
}

/** The baud rate the pty kinds run at: a real UART's speed, so pacing and windows matter. */
export const PTY_BAUD = 115200;

/** Start a virtual board and connect a RawRepl to it the `kind` way. */
export async function openTestBoard(
  kind: BoardKind,
  options: TestBoardOptions = {},
): Promise<TestBoard> {
  const { repl: replOptions, ...simOptions } = options;
  const overPty = kind !== 'inproc';
  const board = await VirtualBoard.start({
    ...(overPty ? { baud: PTY_BAUD } : {}),
    ...(kind === 'pty-legacy' ? { profile: 'legacy' as const } : {}),
    ...simOptions,
  });
  let pty: { path: string; close(): Promise<void> } | undefined;
  let transport: Transport | undefined;
  let repl: RawRepl | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await repl?.close().catch(() => {});
    if (!repl) await transport?.close().catch(() => {});
    await pty?.close().catch(() => {});
    await board.stop();
  };
  try {
    if (overPty) {
      pty = await servePty(board);
      transport = await openSerial(pty.path, { baud: simOptions.baud ?? PTY_BAUD });
    } else {
      transport = board.connect();
    }
    repl = await RawRepl.connect(transport, {
      baud: simOptions.baud ?? PTY_BAUD,
      ...replOptions,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    kind,
    repl,
    transport,
    board,
    ...(pty ? { ptyPath: pty.path } : {}),
    close,
  };
}
