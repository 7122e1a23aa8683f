// src/sync/syncer.ts: keeps one board folder equal to one local folder: full resync by digest
// after every (re)connection, then small bursts planned against what the board is known to hold.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { BoardFs } from '../board/types.js';
import { CompileError } from '../compile/mpy-cross.js';
import { checkMpyTarget } from '../compile/target.js';
import { BoardError } from '../errors.js';
import { TreeCompiler } from './compiled.js';
import { BoardMirror, type Outcome } from './mirror.js';
import { type FileState, planSync } from './plan.js';
import { describeSync, type SyncReport } from './report.js';
import { FolderScanner, type LocalTree } from './scan.js';
import { type AfterSync, type BoardSession, isLinkError } from './session.js';

export type { SyncReport } from './report.js';
export type { AfterSync, BoardSession, ProgramRepl } from './session.js';

/** What to sync where, how to reach the board, and what to run after each sync. */
export interface SyncerOptions {
  /** Local folder. */
  folder: string;
  /** Board folder, absolute (`/`, `/app`). */
  target: string;
  /** Mirror deletions (false for `--no-delete`). */
  delete: boolean;
  /** Extra gitignore-style patterns (`--ignore`). */
  ignore?: readonly string[];
  /** Opens a new connection; called again after the link is lost. */
  connect: () => Promise<BoardSession>;
  afterSync?: AfterSync;
  /** Progress lines (`synced …`, `board lost …`). */
  log?: (line: string) => void;
  /** How a sync's progress line reads (default `describeSync`). */
  describe?: (report: SyncReport) => string;
  /** Stops reconnect attempts. */
  signal?: AbortSignal;
  /** Reconnect backoff in ms: first delay, doubled up to the maximum. */
  backoff?: { initialMs: number; maxMs: number };
  /** `--mpy`: send each `x.py` (but `boot.py`, `main.py`) compiled, as `x.mpy`. The board must
   * load .mpy version 6, else the first sync throws; a syntax error fails the sync (a
   * `CompileError` saying `file:line: message`) before anything is sent. */
  mpy?: boolean;
}

/** Keeps the board folder equal to the local folder. One sync runs at a time; requests made
 * while one runs are merged into the next. */
export class Syncer {
  private readonly scanner: FolderScanner;
  private readonly mirror: BoardMirror;
  private session: BoardSession | undefined;
  private verified = false;
  private resyncRequested = false;
  private readonly dirty = new Set<string>();
  private tail: Promise<unknown> = Promise.resolve();
  private next: Promise<SyncReport> | undefined;
  private digestFn: ((data: Uint8Array) => string) | undefined;
  private everConnected = false;
  private closing = false;
  /** Between losing the link and the next connection (to say so once per outage). */
  private lost = false;
  /** Aborted by `close()` (or the caller's signal): ends reconnect attempts. */
  private readonly stopper = new AbortController();
  private readonly signal: AbortSignal;
  /** The board has no folders (micro:bit): only top-level files are synced. */
  private flat = false;
  /** False once the board refused a rename. */
  private renames = true;
  private warnedFlat = false;
  private readonly compiler: TreeCompiler | undefined;

  constructor(private readonly options: SyncerOptions) {
    this.scanner = new FolderScanner(options.folder, options.ignore ?? []);
    this.mirror = new BoardMirror(options.target);
    this.compiler = options.mpy
      ? new TreeCompiler({
          source: (path) => this.mirror.boardPath(path),
          shown: (path) => join(options.folder, path),
        })
      : undefined;
    this.signal = options.signal
      ? AbortSignal.any([options.signal, this.stopper.signal])
      : this.stopper.signal;
  }

  /** Sync after one changed path (relative to the folder). */
  applyChange(path: string): Promise<SyncReport> {
    return this.applyBurst([path]);
  }

  /** Sync after a burst of changed paths; the whole folder is compared, the paths are re-read. */
  applyBurst(paths: Iterable<string>): Promise<SyncReport> {
    for (const path of paths) this.dirty.add(path);
    return this.schedule();
  }

  /** Compare the whole tree with the board by digest (the board's answer is the truth). */
  resync(): Promise<SyncReport> {
    // A flag, not `verified = false`: a sync running now would set `verified` again at its end.
    this.resyncRequested = true;
    return this.schedule();
  }

  /**
   * The board restarted on its own with the link up (its reset button): its RAM is gone and its
   * main.py may run. Its files are most likely as they were, and the digests say so in one
   * round trip; then what runs after a sync starts again.
   */
  boardRestarted(): void {
    if (this.closing) return;
    this.options.log?.('board restarted, comparing by digest');
    void this.resync().catch(() => undefined);
  }

  /** True when a relative path is ignored (rules of the last scan). */
  ignores(path: string, isDir: boolean): boolean {
    return this.scanner.ignores(path, isDir);
  }

  /** Stop what runs on the board and close the connection (board left in the friendly REPL). */
  async close(): Promise<void> {
    this.closing = true;
    this.stopper.abort();
    await this.tail;
    await this.options.afterSync?.stop();
    await this.dropSession();
  }

  private schedule(): Promise<SyncReport> {
    if (this.next) return this.next;
    const run = this.tail.then(() => {
      this.next = undefined;
      return this.syncWithRetry();
    });
    this.next = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async syncWithRetry(): Promise<SyncReport> {
    const backoff = this.options.backoff ?? { initialMs: 100, maxMs: 3000 };
    let wait = backoff.initialMs;
    let boardErrorRetried = false;
    for (;;) {
      this.signal.throwIfAborted();
      try {
        const report = await this.syncOnce();
        if (this.session && (report.verified || report.actions.length > 0)) {
          await this.options.afterSync?.start(this.session);
        }
        return report;
      } catch (error) {
        // No board at all at the start is the user's problem to fix, not a reason to wait.
        if (isLinkError(error) && this.everConnected) {
          this.reportLost(error as Error);
          await this.dropSession();
          await delay(wait, undefined, { signal: this.signal });
          wait = Math.min(wait * 2, backoff.maxMs);
          continue;
        }
        // A syntax error stopped the sync before it touched the board: what it holds is known.
        if (error instanceof CompileError) throw error;
        // A board error leaves the board state unknown: re-read it by digest, once.
        this.verified = false;
        if (error instanceof BoardError && !boardErrorRetried) {
          boardErrorRetried = true;
          continue;
        }
        throw error;
      }
    }
  }

  private async syncOnce(): Promise<SyncReport> {
    const started = performance.now();
    const session = await this.ensureSession();
    const board = session.board;
    const sentBefore = session.bytesSent?.();
    const digest = this.digestFn!;
    const dirty = [...this.dirty];
    this.dirty.clear();
    let local: LocalTree;
    try {
      local = await this.scanner.scan(digest, dirty);
      if (this.flat) local = this.flatten(local);
      // Before anything stops or is sent: a syntax error leaves the board as it is.
      if (this.compiler) local = await this.compiler.compile(local, digest);
    } catch (error) {
      for (const path of dirty) this.dirty.add(path);
      throw error;
    }
    const verified = !this.verified || this.resyncRequested;
    this.resyncRequested = false;
    if (verified) {
      await this.options.afterSync?.stop();
      const remote = await this.readBoard(board);
      this.mirror.reset(remote, local);
    }
    // An `x.mpy` compiled here is not left alone by `*.mpy` in a .gitignore: it goes with its
    // source, or the board would import a module whose source is gone.
    const keep = (path: string, isDir: boolean) =>
      this.scanner.ignores(path, isDir) && (isDir || !this.compiler?.madeFile(path));
    const actions = planSync(local, this.mirror, {
      delete: this.options.delete,
      renames: this.renames,
      cachedDigest: (path) => this.mirror.baseDigest(path, digest),
      keep,
    });
    if (actions.length > 0) await this.options.afterSync?.stop();
    // Until every action has landed, what the board holds is not known for sure.
    this.verified = false;
    const counts: Record<Outcome, number> = {
      patched: 0,
      written: 0,
      removed: 0,
      renamed: 0,
      mkdir: 0,
    };
    for (const action of actions) {
      try {
        counts[await this.mirror.apply(board, action, local)]++;
      } catch (error) {
        // Some firmware has os.mkdir but a flat filesystem that refuses it (EPERM/EOPNOTSUPP).
        if (action.type === 'mkdir' && !this.flat && isNoFolders(error)) {
          this.flat = true;
          this.verified = false;
          return this.syncOnce();
        }
        // A board that cannot rename (odd filesystem): send the files under their new names.
        if (action.type === 'rename' && this.renames && error instanceof BoardError) {
          this.renames = false;
          this.options.log?.(
            `the board refused a rename (${error.message}): sending files instead`,
          );
          this.verified = false;
          return this.syncOnce();
        }
        throw error;
      }
    }
    this.verified = true;
    // What the next edit needs goes now (again, if a small board made room for a whole-file
    // write), so the first edit costs what later ones do; nothing is sent when it is there.
    if (actions.some((a) => a.type !== 'patch') || verified) await board.prepare?.('watch');
    const sentAfter = session.bytesSent?.();
    const report: SyncReport = {
      verified,
      actions,
      counts,
      wireBytes:
        sentBefore === undefined || sentAfter === undefined ? undefined : sentAfter - sentBefore,
      ms: Math.round(performance.now() - started),
    };
    if (verified || actions.length > 0) {
      this.options.log?.((this.options.describe ?? describeSync)(report));
    }
    return report;
  }

  /** Keep the top-level files only, saying once what is left out. */
  private flatten(local: LocalTree): LocalTree {
    if (local.dirs.size > 0 && !this.warnedFlat) {
      this.warnedFlat = true;
      this.options.log?.(`the board has no folders: skipping ${[...local.dirs].join(', ')}`);
    }
    const files = new Map([...local.files].filter(([path]) => !path.includes('/')));
    const contents = new Map([...local.contents].filter(([path]) => files.has(path)));
    return { files, dirs: new Set(), contents };
  }

  private async readBoard(board: BoardFs): Promise<Map<string, FileState>> {
    const target = this.options.target;
    if (target !== '/' && !this.flat) {
      try {
        await board.mkdir(target, { parents: true });
      } catch (error) {
        if (!(error instanceof BoardError && error.errno === 17)) throw error;
      }
    }
    const remote = new Map<string, FileState>();
    for (const file of await board.digestTree(target)) {
      remote.set(this.mirror.relativePath(file.path), { size: file.size, digest: file.digest });
    }
    return remote;
  }

  private async ensureSession(): Promise<BoardSession> {
    if (this.session) return this.session;
    const session = await this.options.connect();
    if (this.lost) this.options.log?.('board back, comparing by digest');
    this.lost = false;
    this.session = session;
    this.everConnected = true;
    session.onLost?.((error) => {
      if (this.session !== session || this.closing) return;
      this.reportLost(error);
      void this.dropSession().then(() => this.resync().catch(() => undefined));
    });
    session.onRestart?.(() => {
      if (this.session === session) this.boardRestarted();
    });
    // Asking anything probes the board's capabilities, which pick its digest (sha256 or adler)
    // that the host side must use too.
    this.flat = !(await session.board.hasDirectories());
    if (this.options.mpy) {
      checkMpyTarget((await session.board.mpyTarget?.()) ?? { mpy: undefined, firmware: '' });
    }
    this.digestFn = (data) => session.board.localDigest(data);
    this.verified = false;
    return session;
  }

  private reportLost(error: Error): void {
    if (this.lost) return;
    this.lost = true;
    this.options.log?.(`board lost (${error.message}), reconnecting`);
  }

  private async dropSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    try {
      await session.close();
    } catch {
      // The link is already gone; nothing to leave tidy.
    }
  }
}

function isNoFolders(error: unknown): boolean {
  return error instanceof BoardError && (error.errno === 1 || error.errno === 95);
}
