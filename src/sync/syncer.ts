// src/sync/syncer.ts: keeps one board folder equal to one local folder: full resync by digest
// after every (re)connection, then small bursts planned against what the board is known to hold.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { BoardFs } from '../board/types.js';
import { CompileError } from '../compile/mpy-cross.js';
import { checkMpyTarget } from '../compile/target.js';
import { BoardError } from '../errors.js';
import { compareTrees, type SyncCheck } from './compare.js';
import { TreeCompiler } from './compiled.js';
import { BoardMirror, type Outcome, treeActions } from './mirror.js';
import {
  type DeleteRule,
  type FileState,
  planSync,
  type SyncAction,
  withImpliedDirs,
} from './plan.js';
import { describeSync, type SyncReport } from './report.js';
import { FolderScanner, type LocalTree } from './scan.js';
import { type BoardSession, isLinkError } from './session.js';
import type { SyncerOptions, SyncPreview } from './syncer-options.js';

/** Hex characters of each board digest read for planning: 64 bits, enough to tell files apart. */
const DIGEST_PREFIX = 16;

export type { SyncCheck } from './compare.js';
export type { SyncReport } from './report.js';
export type { AfterSync, BoardSession, ProgramRepl } from './session.js';
export type { SyncerOptions, SyncPreview } from './syncer-options.js';

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
  /** Every path the folder held at a sync so far (`delete: 'local'` removes only these). */
  private readonly seenFiles = new Set<string>();
  private readonly seenDirs = new Set<string>();
  /** The folder as the last sync saw it. */
  private lastLocal: LocalTree | undefined;
  /** Files the last scan left out because the board has no folders. */
  private leftOut: string[] = [];
  /** The target folder is known to exist on the board (made or read this connection). */
  private targetReady = false;

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
        if (isLinkError(error) && this.everConnected && this.options.reconnect !== false) {
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

  /** Plan against the board without changing anything (`sync --dry-run`): the board is read
   * by digest, the folder scanned (and compiled with `--mpy`). */
  preview(): Promise<SyncPreview> {
    return this.exclusive(async () => {
      const session = await this.ensureSession();
      const local = await this.scanLocal([]);
      const remote = await this.readBoard(session.board, local);
      this.mirror.reset(remote, local);
      // What was just read is what the board holds: the next sync plans from it, unread.
      this.verified = true;
      const actions = this.plan(local);
      return { actions, remote, local: local.files, check: this.compare(local, remote) };
    });
  }

  /** Read the board back by digest and compare it with the folder as the last sync saw it. */
  check(): Promise<SyncCheck> {
    return this.exclusive(async () => {
      const session = await this.ensureSession();
      const local = this.lastLocal ?? (await this.scanLocal([]));
      return this.compare(local, await this.readBoard(session.board, local));
    });
  }

  private compare(local: LocalTree, remote: Map<string, FileState>): SyncCheck {
    return compareTrees(local.files, remote, {
      keep: (path) => this.keeps(path, false),
      leftOut: this.leftOut,
    });
  }

  /** Run `work` after whatever sync is queued, and before the next one. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async scanLocal(dirty: string[]): Promise<LocalTree> {
    let local = await this.scanner.scan(this.digestFn!, dirty);
    this.leftOut = [];
    if (this.flat) local = this.flatten(local);
    // Before anything stops or is sent: a syntax error leaves the board as it is.
    if (this.compiler) local = await this.compiler.compile(local, this.digestFn!);
    return local;
  }

  /** Board paths left alone: ignored ones. An `x.mpy` compiled here is not left alone by
   * `*.mpy` in a .gitignore: it goes with its source, or the board would import a module whose
   * source is gone. */
  private keeps(path: string, isDir: boolean): boolean {
    return this.scanner.ignores(path, isDir) && (isDir || !this.compiler?.madeFile(path));
  }

  private plan(local: LocalTree): SyncAction[] {
    return planSync(local, this.mirror, {
      delete: this.deleteRule(),
      renames: this.renames,
      cachedDigest: (path) => this.mirror.baseDigest(path, this.digestFn!),
      keep: (path, isDir) => this.keeps(path, isDir),
    });
  }

  private deleteRule(): DeleteRule {
    const rule = this.options.delete;
    if (rule !== 'local') return rule;
    return (path, isDir) => (isDir ? this.seenDirs : this.seenFiles).has(path);
  }

  private async syncOnce(): Promise<SyncReport> {
    const started = performance.now();
    const session = await this.ensureSession();
    const board = session.board;
    const sentBefore = session.bytesSent?.();
    const dirty = [...this.dirty];
    this.dirty.clear();
    let local: LocalTree;
    try {
      local = await this.scanLocal(dirty);
    } catch (error) {
      for (const path of dirty) this.dirty.add(path);
      throw error;
    }
    this.lastLocal = local;
    for (const path of local.files.keys()) this.seenFiles.add(path);
    for (const path of withImpliedDirs(local)) this.seenDirs.add(path);
    const verified = !this.verified || this.resyncRequested;
    this.resyncRequested = false;
    if (verified) {
      await this.options.afterSync?.stop();
      await this.makeTarget(board);
      const remote = await this.readBoard(board, local);
      this.mirror.reset(remote, local);
    }
    const actions = this.plan(local);
    if (actions.length > 0) {
      await this.options.afterSync?.stop();
      await this.makeTarget(board);
    }
    // Until every action has landed, what the board holds is not known for sure.
    this.verified = false;
    const counts: Record<Outcome, number> = {
      patched: 0,
      written: 0,
      removed: 0,
      renamed: 0,
      mkdir: 0,
    };
    // Several whole files (a first sync, a checkout) go as one tree where the board takes one.
    const tree = treeActions(actions);
    for (const action of [...actions.filter((a) => !tree.includes(a)), ...tree]) {
      if (action === tree[0] && (await this.mirror.applyTree(board, tree, local))) {
        for (const done of tree) counts[done.type === 'mkdir' ? 'mkdir' : 'written']++;
        break;
      }
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
    if (
      this.options.prepareEdits !== false &&
      (actions.some((a) => a.type !== 'patch') || verified)
    ) {
      await board.prepare?.('watch');
    }
    const sentAfter = session.bytesSent?.();
    const report: SyncReport = {
      verified,
      actions,
      counts,
      wireBytes:
        sentBefore === undefined || sentAfter === undefined ? undefined : sentAfter - sentBefore,
      ms: Math.round(performance.now() - started),
      files: local.files.size,
    };
    const line =
      verified || actions.length > 0 ? (this.options.describe ?? describeSync)(report) : undefined;
    if (line !== undefined) this.options.log?.(line);
    return report;
  }

  /** Keep the top-level files only, saying once what is left out. */
  private flatten(local: LocalTree): LocalTree {
    if (local.dirs.size > 0 && !this.warnedFlat) {
      this.warnedFlat = true;
      this.options.log?.(`the board has no folders: skipping ${[...local.dirs].join(', ')}`);
    }
    const files = new Map([...local.files].filter(([path]) => !path.includes('/')));
    this.leftOut = [...local.files.keys()].filter((path) => !files.has(path));
    const contents = new Map([...local.contents].filter(([path]) => files.has(path)));
    return { files, dirs: new Set(), contents };
  }

  /** Make the board folder synced into, once per connection. */
  private async makeTarget(board: BoardFs): Promise<void> {
    const target = this.options.target;
    if (this.targetReady || target === '/' || this.flat) return;
    try {
      await board.mkdir(target, { parents: true });
    } catch (error) {
      if (!(error instanceof BoardError && error.errno === 17)) throw error;
    }
    this.targetReady = true;
  }

  /** What the board holds under the target, by digest. The board sends each digest's first
   * DIGEST_PREFIX characters only (a 50-file tree's answer is 2.7 KB, not 5 KB); one that begins
   * a digest of the folder's stands for it, so equal files compare equal everywhere after. */
  private async readBoard(board: BoardFs, local: LocalTree): Promise<Map<string, FileState>> {
    const target = this.options.target;
    const full = new Map<string, string>();
    for (const state of local.files.values())
      full.set(state.digest.slice(0, DIGEST_PREFIX), state.digest);
    const remote = new Map<string, FileState>();
    for (const file of await board.digestTree(target, { digestPrefix: DIGEST_PREFIX })) {
      const digest = file.digest.length === DIGEST_PREFIX ? full.get(file.digest) : undefined;
      remote.set(this.mirror.relativePath(file.path), {
        size: file.size,
        digest: digest ?? file.digest,
      });
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
      // A one-shot sync does not come back: the operation in flight fails on its own.
      if (this.session !== session || this.closing || this.options.reconnect === false) return;
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
    this.targetReady = false;
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
