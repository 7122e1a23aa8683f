// src/fuse/mount.ts: load fuse-native on demand, mount a BoardFs on a local folder (through a
// link that reconnects, ./board-link.ts), notice an unmount done from outside (`fusermount -u`)
// or a board gone for good, refuse a stale mount left by a crash.
import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type Fuse from 'fuse-native';
import type { BoardFs } from '../board/types.js';
import { MpyError, type TransportError, UsageError } from '../errors.js';
import { BoardLink, fixedSession, type ReconnectOptions } from './board-link.js';
import { fuseHandlers } from './handlers.js';
import { MountOperations } from './operations.js';

type FuseClass = typeof Fuse;

/** Per-operation limits before the kernel gets ETIMEDOUT: listings are quick, file transfers
 * over a 115200-baud UART are not (a 1 MB file takes about 90 s). */
const TIMEOUTS = {
  default: 60_000,
  read: 600_000,
  write: 600_000,
  flush: 600_000,
  release: 600_000,
  fsync: 600_000,
  truncate: 600_000,
  ftruncate: 600_000,
  rename: 600_000,
};

/** How often to look whether someone else unmounted us (`fusermount -u`). */
const MOUNT_POLL_MS = 500;

export interface MountOptions {
  readOnly?: boolean;
  /** One line for the user per notable event (legacy board, unexpected board errors). */
  log?: (line: string) => void;
  /** fuse-native's own trace of every request. */
  debug?: boolean;
  /** Reconnect after a lost link (`reconnect.session` is where `board` came from), dropping
   * the cache; a board away longer than `giveUpMs` unmounts (cause `lost`). Unset: a lost
   * link answers EIO. */
  reconnect?: ReconnectOptions;
}

/** How a mount ended: our own `unmount()`, an unmount from outside, or a board that did not
 * come back after the link was lost (`MountedBoard.failure` says why). */
export type UnmountCause = 'unmount' | 'external' | 'lost';

/** A live mount. */
export interface MountedBoard {
  readonly mountpoint: string;
  readonly operations: MountOperations;
  /** Resolves once the mount is gone, whoever removed it. */
  readonly unmounted: Promise<UnmountCause>;
  /** Why the mount ended by itself (cause `lost`): the link and how long it was waited for. */
  readonly failure: TransportError | undefined;
  /** Flush open files, unmount, release the FUSE thread. Safe to call more than once. */
  unmount(): Promise<void>;
}

/** fuse-native and the system libfuse.so.2, or an MpyError telling how to install them. */
export async function loadFuse(): Promise<FuseClass> {
  try {
    return (await import('fuse-native')).default;
  } catch (error) {
    throw new MpyError(
      'mount needs FUSE, which could not be loaded ' +
        `(${error instanceof Error ? error.message.split('\n')[0] : error}); ` +
        'install it with: sudo apt-get install fuse libfuse2',
      { cause: error },
    );
  }
}

/** Refuse a mountpoint that is missing, not a folder, already mounted, or a stale mount. */
export async function checkMountpoint(mountpoint: string): Promise<void> {
  const stats = await stat(mountpoint).catch((error: NodeJS.ErrnoException) => error);
  if (stats instanceof Error) {
    if (stats.code === 'ENOTCONN') {
      throw new UsageError(
        `${mountpoint} is a stale mount left by an earlier session (transport endpoint is not ` +
          `connected); unmount it first: fusermount -u ${mountpoint}`,
      );
    }
    if (stats.code === 'ENOENT')
      throw new UsageError(`${mountpoint} does not exist; mkdir it first`);
    throw new UsageError(`cannot use ${mountpoint} as a mountpoint: ${stats.message}`);
  }
  if (!stats.isDirectory()) throw new UsageError(`${mountpoint} is not a folder`);
  if (await isMounted(mountpoint)) {
    throw new UsageError(
      `${mountpoint} is already a mountpoint; unmount it first: fusermount -u ${mountpoint}`,
    );
  }
  // FUSE refuses a folder with files in it (and they would be hidden); the likely wish of
  // someone typing `mount .` is mpremote's mount of this folder on the board
  if ((await readdir(mountpoint)).length > 0) {
    throw new UsageError(
      `${mountpoint} is not empty: mpy's mount shows the board's files in an empty folder; ` +
        `to put ${mountpoint} on the board as mpremote does, \`mpy mount-local ${mountpoint}\` ` +
        `(or \`mpy mount ${mountpoint} repl\`)`,
    );
  }
}

/** Mount `board` on `mountpoint` (an existing empty folder) until `unmount()` or `fusermount -u`. */
export async function mountBoard(
  board: BoardFs,
  mountpoint: string,
  options: MountOptions = {},
): Promise<MountedBoard> {
  const FuseNative = await loadFuse();
  const target = resolve(mountpoint);
  await checkMountpoint(target);
  const log = options.log ?? (() => {});
  const link = new BoardLink(options.reconnect?.session ?? fixedSession(board), options.reconnect, {
    lost: (error) => {
      // Nothing cached is sure any more: requests wait for the board instead of stale answers.
      operations.forgetBoard();
      log(`board lost (${error.message}), reconnecting`);
    },
    back: () => {
      operations.forgetBoard();
      log('board back, its files are read afresh');
    },
  });
  const operations = new MountOperations(link, { readOnly: options.readOnly, log });
  const fuse = new FuseNative(target, fuseHandlers(operations, log), {
    debug: options.debug,
    fsname: 'mpy',
    timeout: TIMEOUTS,
  });
  await new Promise<void>((done, fail) =>
    fuse.mount((error) => (error ? fail(mountError(target, error)) : done())),
  );

  let finish: (cause: UnmountCause) => void = () => {};
  const unmounted = new Promise<UnmountCause>((done) => {
    finish = done;
  });
  let unmounting: Promise<void> | undefined;
  let gone = false;
  let failure: TransportError | undefined;
  // process.exit (a second Ctrl-C, a crash) skips our unmount; detaching the mount here keeps
  // it from going stale. A lazy unmount needs no answer from this process, so sync is safe.
  const detachOnExit = () => spawnSync('fusermount', ['-u', '-z', target], { stdio: 'ignore' });
  process.once('exit', detachOnExit);
  const ended = (cause: UnmountCause) => {
    gone = true;
    clearInterval(poll);
    process.removeListener('exit', detachOnExit);
    finish(cause);
  };
  const poll = setInterval(() => {
    void isMounted(target).then((still) => {
      if (still || unmounting || gone) return;
      releaseFuseThread(fuse);
      ended('external');
    });
  }, MOUNT_POLL_MS);

  const unmount = (cause: UnmountCause = 'unmount'): Promise<void> => {
    if (gone) return Promise.resolve();
    unmounting ??= (async () => {
      link.stop();
      // Lazy unmount detaches at once, so writes still buffered must reach the board first.
      await operations.flushAll().catch((error: unknown) => log(`flush before unmount: ${error}`));
      await new Promise<void>((done) =>
        fuse.unmount((error) => {
          // Already gone (fusermount -u raced us): the FUSE thread still holds the event loop.
          if (error) releaseFuseThread(fuse);
          done();
        }),
      );
      ended(cause);
    })();
    return unmounting;
  };
  void link.gone.then((error) => {
    failure = error;
    return unmount('lost');
  });

  return {
    mountpoint: target,
    operations,
    unmounted,
    get failure() {
      return failure;
    },
    unmount: () => unmount(),
  };
}

/** True when `/proc/self/mountinfo` lists `path` as a mountpoint. */
export async function isMounted(path: string): Promise<boolean> {
  const table = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  // Field 5 is the mountpoint, with space, tab, newline and backslash written as octal escapes.
  const escaped = path.replace(
    /[ \t\n\\]/g,
    (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`,
  );
  return table.split('\n').some((line) => line.split(' ')[4] === escaped);
}

function mountError(mountpoint: string, error: Error): MpyError {
  return new MpyError(`cannot mount on ${mountpoint}: ${error.message}`, { cause: error });
}

/**
 * After an unmount fuse-native did not do itself, its `unmount` fails before releasing the
 * handle that keeps Node's event loop alive; call its native unmount directly (fuse-native 2.2
 * exposes no other way). The binding is the addon fuse-native already loaded.
 */
function releaseFuseThread(fuse: Fuse): void {
  try {
    const fuseIndex = createRequire(import.meta.url).resolve('fuse-native');
    const loadBinding = createRequire(fuseIndex)('node-gyp-build') as (dir: string) => {
      fuse_native_unmount(mountpoint: string, thread: unknown): void;
    };
    // node-gyp-build returns the addon already in require's cache, not a second copy.
    const binding = loadBinding(dirname(fuseIndex));
    const thread = (fuse as unknown as { _thread: unknown })._thread;
    if (thread) binding.fuse_native_unmount(fuse.mnt, thread);
  } catch {
    // Worst case the process stays alive until the user presses Ctrl-C again.
  }
}
