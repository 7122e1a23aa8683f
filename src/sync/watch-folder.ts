// src/sync/watch-folder.ts: `mpy watch` minus the command line: a Syncer fed by a FolderWatcher,
// with the optional program runner, started and stopped as one thing.
import { CompileError } from '../compile/mpy-cross.js';
import { ProgramRunner, type RunMode } from './run.js';
import type { AfterSync } from './session.js';
import { Syncer, type SyncerOptions, type SyncReport } from './syncer.js';
import { FolderWatcher } from './watcher.js';

/** The Syncer's options plus what `mpy watch` adds: the program to run and burst timing. */
export interface WatchFolderOptions extends Omit<SyncerOptions, 'afterSync'> {
  /** Run something after each sync (`--reset`, `--run FILE`). */
  run?: RunMode;
  /** What runs after each sync, in place of `run` (`mpy dev`'s program and terminal). */
  program?: AfterSync;
  /** Where the running program's output goes. */
  output?: (data: Uint8Array) => void;
  /** Quiet time that ends a burst of file events, ms. Default 75. */
  quietMs?: number;
  /** A burst of file events began (its sync follows once they stop). */
  onBurstStart?: () => void;
  /** A burst's sync finished (not called when it failed). */
  afterBurst?: (report: SyncReport) => void;
}

/** A running watch. */
export interface FolderWatch {
  readonly syncer: Syncer;
  /** The first sync (the whole tree compared by digest). */
  readonly initial: SyncReport;
  /** Resolves when every burst seen so far has been synced (or has failed and been logged). */
  settled(): Promise<void>;
  /** Stop watching, interrupt the program, leave the board in the friendly REPL. */
  close(): Promise<void>;
}

/**
 * Watch `options.folder` and keep `options.target` on the board equal to it. Events are watched
 * before the first sync so nothing saved during it is missed. Throws when the first connection
 * or the first sync fails.
 */
export async function watchFolder(options: WatchFolderOptions): Promise<FolderWatch> {
  const log = options.log ?? (() => {});
  const restarted = () => syncer.boardRestarted();
  const runner =
    options.program ??
    (options.run
      ? new ProgramRunner(options.run, options.output ?? (() => {}), log, restarted)
      : undefined);
  const syncer = new Syncer({ ...options, afterSync: runner });
  let pending: Promise<unknown> = Promise.resolve();
  const watcher = new FolderWatcher(options.folder, {
    onBurst: (paths) => {
      const sync = syncer.applyBurst(paths).then(options.afterBurst, (error: unknown) => {
        // Stopping (Ctrl-C, close) aborts pending syncs: not a failure worth a line.
        if ((error as Error).name === 'AbortError') return;
        // `file:line: message` is the whole story (nothing was sent; the next save retries).
        if (error instanceof CompileError) log(error.message);
        else log(`sync failed: ${(error as Error).message}`);
      });
      pending = Promise.all([pending, sync]);
    },
    skip: (path, isDir) => syncer.ignores(path, isDir),
    ...(options.onBurstStart ? { onBurstStart: options.onBurstStart } : {}),
    onError: (error) => log(`watch error: ${error.message}`),
    quietMs: options.quietMs,
  });
  await watcher.start();
  let initial: SyncReport;
  try {
    initial = await syncer.resync();
  } catch (error) {
    await watcher.close();
    await syncer.close();
    throw error;
  }
  return {
    syncer,
    initial,
    settled: async () => {
      let seen: Promise<unknown>;
      do {
        seen = pending;
        await seen;
      } while (seen !== pending);
    },
    close: async () => {
      await watcher.close();
      // Closing the syncer ends reconnect attempts, so the pending bursts settle too.
      await syncer.close();
      await pending;
    },
  };
}
