// src/sync/watch-boards.ts: `mpy watch` on many boards: one folder watcher feeding one Syncer per
// board, and a device list read again every second, so a board plugged in later gets a full sync
// as soon as it answers and a board unplugged is dropped with one line, the others carrying on.
import { setTimeout as delay } from 'node:timers/promises';
import { CompileError } from '../compile/mpy-cross.js';
import { DEFAULT_IGNORES, IgnoreMatcher } from './ignore.js';
import { ProgramRunner, type RunMode } from './run.js';
import { type BoardSession, isLinkError } from './session.js';
import { Syncer, type SyncerOptions } from './syncer.js';
import { FolderWatcher } from './watcher.js';

/** How a board's watch ended: in sync, unplugged, never answered (tried again later), or an
 * error. */
export type BoardEnd = 'ok' | 'gone' | 'unanswered' | Error;

/** One board as the command reaches it: its own connection and its own output lines. */
export interface BoardLink {
  /** Where DIR goes on this board and what runs after each sync (`--to`, `--run` resolved on
   * this board: a relative path starts at its current folder). Connects. */
  prepare(): Promise<{ target: string; run?: RunMode }>;
  /** Opens (again, after a lost link) the board's sync session. */
  connect(): Promise<BoardSession>;
  /** A line about this board. */
  log(line: string): void;
  /** What the board's program prints (`--run`, `--reset`). */
  output(data: Uint8Array): void;
  /** Close the connection; `end` says how the board's watch ended. */
  close(end: BoardEnd): Promise<void>;
}

/** The Syncer's options that are the same for every board, plus where the boards come from. */
export interface BoardsWatchOptions
  extends Pick<SyncerOptions, 'folder' | 'delete' | 'ignore' | 'mpy' | 'backoff'> {
  /** The devices there are now (called every `pollMs`); a board missing from it is dropped. */
  devices(): Promise<string[]>;
  /** A new board's link (called again for a board that did not answer the last time). */
  open(device: string): BoardLink;
  /** How often the device list is read, ms. Default 1000. */
  pollMs?: number;
  /** Quiet time that ends a burst of file events, ms. Default 75. */
  quietMs?: number;
  /** Lines about the watch itself (not one board). */
  log?: (line: string) => void;
  /** Ends the watch. */
  signal: AbortSignal;
}

/** How long after a lost link the device list is read again: udev removes an unplugged USB
 * port's node within tens of ms of the hangup the link sees. */
const LOSS_SETTLE_MS = 250;

interface Board {
  link: BoardLink;
  syncer?: Syncer;
  /** The last sync's failure, cleared by the next one that succeeds. */
  failed?: Error;
  /** The first sync, done or failed. */
  started: Promise<void>;
}

/** Keeps every board the device list names equal to the folder. */
export class BoardsWatch {
  private readonly boards = new Map<string, Board>();
  /** Boards that did not answer, said once until they do. */
  private readonly unanswered = new Set<string>();
  private readonly watcher: FolderWatcher;
  private readonly defaults: IgnoreMatcher;
  private polling: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: BoardsWatchOptions) {
    this.defaults = new IgnoreMatcher([...DEFAULT_IGNORES, ...(options.ignore ?? [])]);
    this.watcher = new FolderWatcher(options.folder, {
      onBurst: (paths) => this.syncAll(paths),
      // Any board's syncer knows the folder's .gitignore; without one, the defaults.
      skip: (path, isDir) => {
        const syncer = [...this.boards.values()].find((board) => board.syncer)?.syncer;
        return syncer ? syncer.ignores(path, isDir) : this.defaults.ignores(path, isDir);
      },
      onError: (error) => this.options.log?.(`watch error: ${error.message}`),
      ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
    });
  }

  /** Start watching the folder, then sync the boards there are and keep looking for more.
   * Resolves once the first boards' first syncs have ended (each ok or failed). */
  async start(): Promise<void> {
    await this.watcher.start();
    await this.poll();
    await Promise.all([...this.boards.values()].map((board) => board.started));
    this.polling = this.pollForever();
  }

  /** Boards being watched now, by device. */
  get devices(): string[] {
    return [...this.boards.keys()];
  }

  /** Resolves when every board's queued syncs so far have ended. */
  async settled(): Promise<void> {
    await Promise.all(
      [...this.boards.values()].map(async (board) => {
        await board.started;
        await board.syncer?.applyBurst([]).catch(() => undefined);
      }),
    );
  }

  /** Stop watching; every board is left in its friendly REPL and closed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.watcher.close();
    await this.polling;
    await Promise.all(
      [...this.boards.values()].map((board) => this.end(board, board.failed ?? 'ok')),
    );
    this.boards.clear();
  }

  private async pollForever(): Promise<void> {
    const pollMs = this.options.pollMs ?? 1000;
    while (!this.closed && !this.options.signal.aborted) {
      try {
        await delay(pollMs, undefined, { signal: this.options.signal });
      } catch {
        return; // aborted: the watch is ending
      }
      if (this.closed) return;
      await this.poll();
    }
  }

  private async poll(): Promise<void> {
    let now: Set<string>;
    try {
      now = new Set(await this.options.devices());
    } catch (error) {
      this.options.log?.(`cannot list the boards: ${(error as Error).message}`);
      return;
    }
    for (const [device, board] of this.boards) {
      if (now.has(device)) continue;
      this.boards.delete(device);
      board.link.log('unplugged: dropped (the other boards carry on)');
      void this.end(board, 'gone');
    }
    for (const device of now) if (!this.boards.has(device)) this.add(device);
  }

  private add(device: string): void {
    const link = this.options.open(device);
    const board: Board = { link, started: Promise.resolve() };
    this.boards.set(device, board);
    board.started = this.firstSync(device, board);
  }

  private async firstSync(device: string, board: Board): Promise<void> {
    const { link } = board;
    try {
      const { target, run } = await link.prepare();
      const runner = run
        ? new ProgramRunner(
            run,
            (data) => link.output(data),
            (line) => link.log(line),
          )
        : undefined;
      board.syncer = new Syncer({
        folder: this.options.folder,
        target,
        delete: this.options.delete,
        ...(this.options.ignore ? { ignore: this.options.ignore } : {}),
        ...(this.options.mpy ? { mpy: true } : {}),
        ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
        connect: async () => this.quietLoss(device, board, await link.connect()),
        ...(runner ? { afterSync: runner } : {}),
        log: (line) => link.log(line),
        signal: this.options.signal,
      });
      await board.syncer.resync();
      this.unanswered.delete(device);
      board.failed = undefined;
    } catch (error) {
      if (this.closed || this.boards.get(device) !== board) return;
      // Plugged in but not answering yet (booting, busy): forget it; the next poll tries again.
      if (isLinkError(error)) {
        if (!this.unanswered.has(device)) {
          this.unanswered.add(device);
          link.log(`not answering (${(error as Error).message}); trying again every second`);
        }
        this.boards.delete(device);
        await this.end(board, 'unanswered');
        return;
      }
      board.failed = error as Error;
      link.log(describeFailure(error));
    }
  }

  /**
   * The session as the Syncer sees it, except that a lost link reaches the Syncer (which says
   * `board lost`, and reconnects) only when the board is still listed a moment later: an
   * unplugged board is dropped with its one line instead.
   */
  private quietLoss(device: string, board: Board, session: BoardSession): BoardSession {
    const onLost = session.onLost;
    if (!onLost) return session;
    return {
      board: session.board,
      ...(session.repl ? { repl: session.repl } : {}),
      ...(session.bytesSent ? { bytesSent: session.bytesSent } : {}),
      ...(session.rebootClosesLink !== undefined
        ? { rebootClosesLink: session.rebootClosesLink }
        : {}),
      close: () => session.close(),
      onLost: (listener) =>
        onLost((error) => {
          void this.stillThere(device, board).then((there) => there && listener(error));
        }),
    };
  }

  /** Read the device list again (after the OS has had a moment to remove an unplugged port)
   * and say whether `board` is still watched. */
  private async stillThere(device: string, board: Board): Promise<boolean> {
    await delay(LOSS_SETTLE_MS);
    await this.poll();
    return !this.closed && this.boards.get(device) === board;
  }

  private syncAll(paths: string[]): void {
    for (const board of this.boards.values()) {
      // A board still on its first sync reads the whole folder then; later ones queue behind.
      void board.started.then(async () => {
        if (!board.syncer) return;
        try {
          await board.syncer.applyBurst(paths);
          board.failed = undefined;
        } catch (error) {
          if ((error as Error).name === 'AbortError') return;
          board.failed = error as Error;
          board.link.log(describeFailure(error));
        }
      });
    }
  }

  private async end(board: Board, end: BoardEnd): Promise<void> {
    try {
      await board.syncer?.close();
    } catch {
      // A board that went away cannot be left tidy.
    }
    await board.link.close(end);
  }
}

/** `file:line: message` for a syntax error (nothing was sent), else `sync failed: …`. */
function describeFailure(error: unknown): string {
  if (error instanceof CompileError) return error.message;
  return `sync failed: ${(error as Error).message}`;
}
