// src/dev/loop.ts: `mpy dev` minus the command line: the folder kept in sync (src/sync), the
// program run after each sync and the board's terminal (runner.ts), all on one connection, and
// one screen (screen.ts) where the board's output and our status lines never mix.
import type { BoardSession } from '../sync/session.js';
import { type FolderWatch, watchFolder } from '../sync/watch-folder.js';
import { type DevProgram, DevRunner } from './runner.js';
import { DevScreen } from './screen.js';
import { describeDevSync } from './status.js';

export type { DevProgram } from './runner.js';

/** What to sync where, what to run, and where the terminal is. */
export interface DevOptions {
  /** Local folder. */
  folder: string;
  /** Board folder, absolute. */
  target: string;
  /** Which board files missing from the folder go (see SyncerOptions.delete). */
  delete: boolean | 'local';
  /** Extra gitignore-style patterns (`--ignore`). */
  ignore?: readonly string[];
  /** Compile `.py` to `.mpy` on the way (`--mpy`). */
  mpy?: boolean;
  /** What runs after each sync. */
  program: DevProgram;
  /** Opens a connection; called again after the link is lost. */
  connect: () => Promise<BoardSession>;
  /** The user's terminal: the board's output and our status lines, in order. */
  write: (data: Uint8Array | string) => void;
  /** Stops reconnect attempts. */
  signal?: AbortSignal;
  /** Quiet time that ends a burst of file events, ms (default as `watch`). */
  quietMs?: number;
  /** Reconnect backoff (default as `watch`). */
  backoff?: { initialMs: number; maxMs: number };
}

/** A running `mpy dev`. */
export interface DevLoop {
  readonly watch: FolderWatch;
  /** Keys the user typed. */
  keys(data: Uint8Array): void;
  /** Resolves when the user leaves (Ctrl-] or Ctrl-X). */
  readonly left: Promise<void>;
  /** Stop watching and close the connection; the board keeps running, in its friendly REPL. */
  close(): Promise<void>;
}

/**
 * Sync `options.folder` to the board, start the program and relay the terminal; each save
 * stops it, sends the differences and starts it again. Throws when the first connection or the
 * first sync fails.
 */
export async function startDev(options: DevOptions): Promise<DevLoop> {
  const screen = new DevScreen();
  const status = (line: string) => options.write(screen.status(line));
  const runner = new DevRunner(options.program, {
    show: (data) => options.write(screen.output(data)),
    status,
    freshLine: () => options.write(screen.freshLine()),
  });
  let leave: () => void = () => {};
  const left = new Promise<void>((resolve) => {
    leave = resolve;
  });
  const watch = await watchFolder({
    folder: options.folder,
    target: options.target,
    delete: options.delete,
    ...(options.ignore ? { ignore: options.ignore } : {}),
    ...(options.mpy ? { mpy: true } : {}),
    connect: options.connect,
    program: runner,
    onBurstStart: () => runner.prepare(),
    afterBurst: () => runner.afterBurst(),
    log: status,
    describe: describeDevSync,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
  return {
    watch,
    keys: (data) => {
      for (const action of screen.keys(data, runner.rerunsOnCtrlD)) {
        if (action.type === 'board') runner.keys(action.data);
        else if (action.type === 'leave') leave();
        else runner.rerun().catch((error: Error) => status(`run failed: ${error.message}`));
      }
    },
    left,
    close: () => watch.close(),
  };
}
