// src/fuse/board-link.ts: the mount's connection to the board, kept up across a cable glitch: a
// lost link is noticed (or met by a board call), reopened with backoff, and the calls go on; a
// board gone longer than a bound ends the mount instead of answering EIO for ever.
import { setTimeout as delay } from 'node:timers/promises';
import type { BoardFs } from '../board/types.js';
import { TransportError } from '../errors.js';

/** One connection to the board, as the mount uses it. */
export interface MountSession {
  board: BoardFs;
  /** Called once when the link ends by itself (unplugged, cut). */
  onLost?(listener: (error: Error) => void): void;
  /** Close the link (the mount calls it before reconnecting). */
  close(): Promise<void>;
}

/** How to reconnect, and for how long. */
export interface ReconnectOptions {
  /** The connection the mount starts on. */
  session: MountSession;
  /** Open a new connection (the old one is closed first). Fails while the board is away. */
  connect(): Promise<MountSession>;
  /** How long the board may stay away before the mount ends. Default 20 s. */
  giveUpMs?: number;
  /** Reconnect backoff: first delay, doubled up to the maximum. Default 100 ms to 2 s. */
  backoff?: { initialMs: number; maxMs: number };
}

/** Default of `ReconnectOptions.giveUpMs`: a cable re-plugged or a USB board re-enumerated is
 * back in a few seconds, and requests waiting meanwhile must be answered well within the
 * kernel's 60 s limit for them (src/fuse/mount.ts). */
const GIVE_UP_MS = 20_000;

/** What the link is doing, for the mount's one-line messages. */
export interface LinkEvents {
  lost(error: Error): void;
  back(): void;
}

/** A board that is always there (no reconnecting), for tests and in-memory boards. */
export function fixedSession(board: BoardFs): MountSession {
  return { board, close: async () => {} };
}

/**
 * Board calls through the current connection. When the link fails (a `TransportError`), calls
 * wait until it is back; the call that met the failure runs again if `retry` says it may (it
 * reads, or writes a whole file atomically), else it fails: whether it happened is unknown.
 * Without `reconnect`, failures pass through as they are.
 */
export class BoardLink {
  private session: MountSession;
  private reconnecting: Promise<void> | undefined;
  private failure: TransportError | undefined;
  private readonly stopper = new AbortController();
  private giveUp: (error: TransportError) => void = () => {};
  /** Resolves with the error when the board stayed away too long: the mount must end. */
  readonly gone: Promise<TransportError>;

  constructor(
    first: MountSession,
    private readonly reconnect: ReconnectOptions | undefined,
    private readonly events: LinkEvents,
  ) {
    this.session = first;
    this.gone = new Promise((resolve) => {
      this.giveUp = resolve;
    });
    this.watch(first);
  }

  /** Run `job` on the board, through a reconnect when the link failed. */
  async call<T>(job: (board: BoardFs) => Promise<T>, retry: boolean): Promise<T> {
    await this.ready();
    const session = this.session;
    try {
      return await job(session.board);
    } catch (error) {
      if (!this.reconnect || !(error instanceof TransportError) || this.stopped) throw error;
      this.linkLost(session, error);
      if (!retry) throw error;
    }
    await this.ready();
    const again = this.session;
    try {
      return await job(again.board);
    } catch (error) {
      if (error instanceof TransportError) this.linkLost(again, error);
      throw error;
    }
  }

  /** Stop reconnecting (the mount is ending). */
  stop(): void {
    this.stopper.abort();
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private async ready(): Promise<void> {
    if (this.reconnecting) await this.reconnecting;
    if (this.failure) throw this.failure;
  }

  private watch(session: MountSession): void {
    session.onLost?.((error) => {
      if (this.reconnect && !this.stopped) this.linkLost(session, error);
    });
  }

  /** The link of `session` failed: reconnect, once per failure of the current connection. */
  private linkLost(session: MountSession, error: Error): void {
    if (session !== this.session || this.reconnecting || this.failure) return;
    this.events.lost(error);
    this.reconnecting = this.reopen(error).finally(() => {
      this.reconnecting = undefined;
    });
    // Calls that wait for it see its outcome through `ready`.
    this.reconnecting.catch(() => {});
  }

  private async reopen(cause: Error): Promise<void> {
    const options = this.reconnect!;
    const giveUpMs = options.giveUpMs ?? GIVE_UP_MS;
    const backoff = options.backoff ?? { initialMs: 100, maxMs: 2000 };
    const deadline = Date.now() + giveUpMs;
    let wait = backoff.initialMs;
    await this.session.close().catch(() => {});
    for (;;) {
      if (this.stopped) throw this.end(new TransportError('the mount is ending', { cause }));
      try {
        const session = await options.connect();
        this.session = session;
        this.watch(session);
        this.events.back();
        return;
      } catch (error) {
        // Any failure: a board half back (still booting, port not ready) fails in many ways.
        if (Date.now() + wait > deadline) {
          const seconds = Math.round(giveUpMs / 1000);
          throw this.end(
            new TransportError(
              `the board did not come back within ${seconds} s (${cause.message})`,
              {
                cause: error,
              },
            ),
          );
        }
      }
      await delay(wait, undefined, { signal: this.stopper.signal }).catch(() => {});
      wait = Math.min(wait * 2, backoff.maxMs);
    }
  }

  private end(error: TransportError): TransportError {
    this.failure = error;
    this.giveUp(error);
    return error;
  }
}
