// src/sync/session.ts: what the syncer needs from a connection to the board, and what runs on
// the board between syncs; the command (or a test) provides both.
import type { BoardFs } from '../board/types.js';
import { TimeoutError, TransportError } from '../errors.js';
import type { ExecOptions } from '../repl/types.js';

/** The REPL calls `--reset` / `--run` need (a `ReplSession` has them). */
export interface ProgramRepl {
  exec(code: string, options?: ExecOptions): Promise<Uint8Array>;
  /** Ctrl-C to the running code: the pending exec then throws KeyboardInterrupt. */
  interrupt(): Promise<void>;
  softReset(): Promise<void>;
}

/** One connection to the board. */
export interface BoardSession {
  board: BoardFs;
  /** The REPL under `board`, for running code after a sync. */
  repl?: ProgramRepl;
  /** Bytes sent host -> board on this link so far, when the link counts them. */
  bytesSent?(): number;
  /** Leave the board in its friendly REPL and close the link. */
  close(): Promise<void>;
  /** Called once when the link ends by itself (unplugged, cut), so the syncer reconnects and
   * re-verifies at once instead of at the next change. */
  onLost?(listener: (error: Error) => void): void;
  /** Called each time the board restarts on its own with the link up (its reset button, a
   * watchdog), so the syncer re-verifies and restarts the program at once. */
  onRestart?(listener: () => void): void;
  /** The board closes this link when it soft-reboots (WebREPL; mpy logs in again), so what it
   * prints right after a reboot (main.py's first lines) reaches only its UART. */
  rebootClosesLink?: boolean;
}

/** What runs on the board between syncs (`--reset`, `--run`): stopped before each sync. */
export interface AfterSync {
  start(session: BoardSession): Promise<void>;
  stop(): Promise<void>;
}

/** The link failed (unplugged, reset, cut) or the board stopped answering: reconnect. */
export function isLinkError(error: unknown): boolean {
  return error instanceof TransportError || error instanceof TimeoutError;
}
