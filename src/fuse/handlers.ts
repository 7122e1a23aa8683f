// src/fuse/handlers.ts: the one place where fuse-native's callbacks meet MountOperations' async
// functions: results become `cb(0, value)`, errors become `cb(-errno)`.
import type { FuseOperations, FuseStat, FuseStatfs } from 'fuse-native';
import type { FsUsage } from '../board/types.js';
import { errnoOf } from './errno.js';
import type { Attributes, MountOperations } from './operations.js';

/** Board names are at most this long on littlefs and FAT with long names. */
const NAME_MAX = 255;

/** fuse-native handlers for `operations`; `log` gets one line per unexpected failure and per
 * failed write to the board (the program that closed the file may not report it). */
export function fuseHandlers(
  operations: MountOperations,
  log: (line: string) => void,
): FuseOperations {
  const mountedAt = Date.now();
  const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const toStat = (attributes: Attributes): FuseStat => statOf(attributes, owner, mountedAt);

  /** Run an operation and answer `cb(0, value)` or `cb(-errno)`. */
  function answer<T>(
    name: string,
    path: string,
    run: () => Promise<T>,
    cb: (status: number, value?: T) => void,
  ): void {
    run().then(
      (value) => cb(0, value),
      (error: unknown) => cb(-failure(name, path, error)),
    );
  }

  /** Like answer, for read and write, whose callback takes the byte count or -errno. */
  function count(name: string, path: string, run: () => Promise<number>, cb: (n: number) => void) {
    run().then(cb, (error: unknown) => cb(-failure(name, path, error)));
  }

  function failure(name: string, path: string, error: unknown): number {
    const { errno, unexpected } = errnoOf(error);
    if (unexpected || name === 'write')
      log(`${name} ${path}: ${error instanceof Error ? error.message : error}`);
    return errno;
  }

  const ok = async (): Promise<void> => {};

  return {
    init: (cb) => cb(0),
    getattr: (path, cb) =>
      answer('stat', path, async () => toStat(await operations.getattr(path)), cb),
    fgetattr: (path, _fd, cb) =>
      answer('stat', path, async () => toStat(await operations.getattr(path)), cb),
    readdir: (path, cb) => answer('readdir', path, () => operations.readdir(path), cb),
    statfs: (path, cb) =>
      answer('statfs', path, async () => statfsOf(await operations.statfs()), cb),
    open: (path, flags, cb) => answer('open', path, () => operations.open(path, flags), cb),
    create: (path, _mode, cb) => answer('create', path, () => operations.create(path), cb),
    read: (path, fd, buffer, length, position, cb) =>
      count('read', path, () => operations.read(fd, buffer, length, position), cb),
    write: (path, fd, buffer, length, position, cb) =>
      // fuse-native reuses `buffer` after the callback; write copies it into the file's buffer.
      count('write', path, () => operations.write(fd, buffer.subarray(0, length), position), cb),
    truncate: (path, size, cb) =>
      answer('truncate', path, () => operations.truncate(path, size), cb),
    ftruncate: (path, fd, size, cb) =>
      answer('truncate', path, () => operations.ftruncate(fd, size), cb),
    flush: (path, fd, cb) => answer('write', path, () => operations.flush(fd), cb),
    fsync: (path, _datasync, fd, cb) => answer('write', path, () => operations.flush(fd, true), cb),
    release: (path, fd, cb) => answer('write', path, () => operations.release(fd), cb),
    unlink: (path, cb) => answer('rm', path, () => operations.unlink(path), cb),
    mkdir: (path, _mode, cb) => answer('mkdir', path, () => operations.mkdir(path), cb),
    rmdir: (path, cb) => answer('rmdir', path, () => operations.rmdir(path), cb),
    rename: (from, to, cb) => answer('rename', from, () => operations.rename(from, to), cb),
    utimens: (path, _atime, _mtime, cb) =>
      answer('touch', path, () => operations.acceptMetadata(path), cb),
    chmod: (path, _mode, cb) => answer('chmod', path, () => operations.acceptMetadata(path), cb),
    chown: (path, _uid, _gid, cb) => answer('chown', path, ok, cb),
  };
}

/** A stat for the kernel: boards have no permissions, so files are 0644 and folders 0755. */
export function statOf(
  attributes: Attributes,
  owner: { uid: number; gid: number },
  fallbackMs: number,
): FuseStat {
  const isDir = attributes.kind === 'dir';
  // Boards without a clock report times near their epoch; those say nothing, show the mount time.
  const mtime =
    attributes.mtime !== undefined && attributes.mtime > 86_400 * 366
      ? attributes.mtime * 1000
      : fallbackMs;
  return {
    mode: isDir ? 0o040755 : 0o100644,
    size: attributes.size,
    uid: owner.uid,
    gid: owner.gid,
    nlink: isDir ? 2 : 1,
    blksize: 4096,
    blocks: Math.ceil(attributes.size / 512),
    mtime,
    atime: mtime,
    ctime: mtime,
  };
}

/** statvfs for `df`, from the board's usage in bytes (a board that only knows the bytes in its
 * files shows a full filesystem of that size). */
export function statfsOf(usage: FsUsage): FuseStatfs {
  const blockSize = usage.blockSize > 0 ? usage.blockSize : 4096;
  const blocks = Math.ceil((usage.totalBytes ?? usage.usedBytes ?? 0) / blockSize);
  const free = Math.floor((usage.freeBytes ?? 0) / blockSize);
  return {
    bsize: blockSize,
    frsize: blockSize,
    blocks,
    bfree: free,
    bavail: free,
    files: 0,
    ffree: 0,
    favail: 0,
    fsid: 0,
    flag: 0,
    namemax: NAME_MAX,
  };
}
