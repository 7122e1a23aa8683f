// src/fuse/operations.ts: the mount's filesystem semantics over BoardFs: every operation as an
// async function that answers from the cache when it can, goes to the board through one queue
// when it must, and fails with an FsError carrying the errno.
import type { BoardFs, FsUsage } from '../board/types.js';
import { BoardLink, fixedSession } from './board-link.js';
import type { CachedEntry, FsCache } from './cache.js';
import { CachedBoard } from './cached-board.js';
import {
  EBADF,
  EEXIST,
  EISDIR,
  ENOENT,
  ENOTDIR,
  EOPNOTSUPP,
  EPERM,
  EROFS,
  FsError,
} from './errno.js';
import { fileBytes, type Handle, type OpenFile, OpenFiles, resize, writeAt } from './open-files.js';
import { parentOf } from './paths.js';
import { PendingTruncations } from './truncations.js';

/** O_ACCMODE bits of open(2) flags: 0 read-only, 1 write-only, 2 read-write. */
const ACCESS_MODE = 3;

export interface OperationsOptions {
  /** Refuse every change with EROFS. */
  readOnly?: boolean;
  /** One line for the user about something worth knowing (legacy board, board errors). */
  log?: (line: string) => void;
}

/** Attributes the FUSE adapter turns into a stat. */
export type Attributes = CachedEntry;

/** Filesystem operations of a mounted board. Paths are absolute board paths. */
export class MountOperations {
  private readonly remote: CachedBoard;
  private readonly files = new OpenFiles();
  private readonly truncations: PendingTruncations;
  private readonly readOnly: boolean;
  private readonly log: (line: string) => void;

  /** `board`: a BoardLink where the mount reconnects after a lost link. */
  constructor(board: BoardFs | BoardLink, options: OperationsOptions = {}) {
    const link =
      board instanceof BoardLink
        ? board
        : new BoardLink(fixedSession(board), undefined, { lost: () => {}, back: () => {} });
    this.remote = new CachedBoard(link);
    this.truncations = new PendingTruncations((path, data) => this.writeTruncation(path, data));
    this.readOnly = options.readOnly ?? false;
    this.log = options.log ?? (() => {});
  }

  async getattr(path: string): Promise<Attributes> {
    const open = this.files.at(path);
    if (open?.dirty)
      return { kind: 'file', size: open.length, mtime: Math.floor(Date.now() / 1000) };
    return this.remote.entry(path);
  }

  /** What the mount knows without asking the board. */
  get cache(): FsCache {
    return this.remote.cache;
  }

  async readdir(path: string): Promise<string[]> {
    const entry = await this.remote.entry(path);
    if (entry.kind !== 'dir') throw new FsError(ENOTDIR);
    return ['.', '..', ...(await this.remote.names(path))];
  }

  async open(path: string, flags: number): Promise<number> {
    const writable = (flags & ACCESS_MODE) !== 0;
    if (writable) this.refuseIfReadOnly();
    const entry = await this.remote.entry(path);
    if (entry.kind === 'dir' && writable) throw new FsError(EISDIR);
    const truncated = writable ? this.truncations.take(path) : undefined;
    // A pending truncation becomes this file's content, sent on flush.
    return this.files.open(path, writable, truncated?.slice()).fd;
  }

  async create(path: string): Promise<number> {
    this.refuseIfReadOnly();
    const parent = await this.remote.entry(parentOf(path));
    if (parent.kind !== 'dir') throw new FsError(ENOTDIR);
    // The file reaches the board on flush, with whatever was written by then (maybe nothing).
    const handle = this.files.open(path, true, new Uint8Array(0));
    this.cache.noteFile(path, 0);
    return handle.fd;
  }

  async read(fd: number, target: Uint8Array, length: number, position: number): Promise<number> {
    const { file } = this.handle(fd);
    const bytes = file.data ? fileBytes(file) : await this.remote.content(file.path ?? '');
    const slice = bytes.subarray(Math.min(position, bytes.length), position + length);
    target.set(slice);
    return slice.length;
  }

  async write(fd: number, chunk: Uint8Array, position: number): Promise<number> {
    const file = await this.loaded(this.writable(fd));
    writeAt(file, chunk, position);
    return chunk.length;
  }

  async ftruncate(fd: number, size: number): Promise<void> {
    const file = await this.loaded(this.writable(fd), size === 0);
    resize(file, size);
  }

  async truncate(path: string, size: number): Promise<void> {
    this.refuseIfReadOnly();
    const open = this.files.at(path);
    if (open) {
      resize(await this.loaded(open, size === 0), size);
      return;
    }
    const entry = await this.remote.entry(path);
    if (entry.kind === 'dir') throw new FsError(EISDIR);
    const old = size === 0 ? new Uint8Array(0) : await this.remote.content(path);
    const data = new Uint8Array(size);
    data.set(old.subarray(0, Math.min(size, old.length)));
    this.cache.noteFile(path, size);
    this.cache.setContent(path, data);
    this.truncations.add(path, data);
  }

  /** No open followed a truncation: send it on its own. */
  private async writeTruncation(path: string, data: Uint8Array): Promise<void> {
    try {
      await this.remote.writeFile(path, data);
    } catch (error) {
      this.log(`truncate ${path}: ${error instanceof Error ? error.message : error}`);
    }
  }

  /**
   * Send buffered writes of this open file to the board (atomic, verified). On close(2) (not
   * `final`) an empty file waits for release: a shell's `> f` closes a dup of the fd before the
   * command writes anything, and one board write is better than two.
   */
  async flush(fd: number, final = false): Promise<void> {
    await this.flushFile(this.handle(fd).file, final);
  }

  private async flushFile(file: OpenFile, final: boolean): Promise<void> {
    if (!file.dirty || file.path === undefined) return;
    if (!final && file.length === 0) return;
    const path = file.path;
    const data = fileBytes(file).slice();
    file.dirty = false;
    await this.remote.writeFile(path, data);
  }

  async release(fd: number): Promise<void> {
    try {
      await this.flushFile(this.handle(fd).file, true);
    } finally {
      this.files.close(fd);
    }
  }

  /** Flush every open file with unflushed writes (before unmounting). */
  async flushAll(): Promise<void> {
    for (const file of this.files.allDirty()) await this.flushFile(file, true);
    await this.truncations.settle('/');
    await this.remote.idle();
  }

  async unlink(path: string): Promise<void> {
    this.refuseIfReadOnly();
    const entry = await this.remote.entry(path);
    if (entry.kind === 'dir') throw new FsError(EISDIR);
    const neverWritten = this.detachOpenFiles(path);
    this.truncations.take(path);
    try {
      await this.remote.run((board) => board.remove(path));
    } catch (error) {
      // A file created here but not flushed yet exists only in our cache.
      if (!(neverWritten && isErrno(error, ENOENT))) throw error;
    }
    this.cache.noteRemoved(path);
  }

  async mkdir(path: string): Promise<void> {
    this.refuseIfReadOnly();
    const flat = () => {
      this.log(`mkdir ${path}: this board's filesystem is flat, it has no folders`);
      return new FsError(EPERM);
    };
    if (!(await this.remote.hasDirectories())) throw flat();
    const existing = await this.remote.entry(path).catch(() => undefined);
    if (existing) throw new FsError(EEXIST);
    try {
      await this.remote.run((board) => board.mkdir(path));
    } catch (error) {
      // Some flat ports have os.mkdir but refuse every call (EPERM) or lack it (EOPNOTSUPP).
      if (isErrno(error, EPERM) || isErrno(error, EOPNOTSUPP)) throw flat();
      throw error;
    }
    this.cache.noteDir(path);
  }

  async rmdir(path: string): Promise<void> {
    this.refuseIfReadOnly();
    const entry = await this.remote.entry(path);
    if (entry.kind !== 'dir') throw new FsError(ENOTDIR);
    await this.remote.run((board) => board.rmdir(path));
    this.cache.noteRemoved(path);
  }

  async rename(from: string, to: string): Promise<void> {
    this.refuseIfReadOnly();
    const source = await this.remote.entry(from);
    // The board only knows what was flushed; an editor's fresh temp file may still be in memory.
    for (const file of this.files.within(from)) if (file.dirty) await this.flushFile(file, true);
    await this.truncations.settle(from);
    const target = await this.remote.entry(to).catch(() => undefined);
    if (target?.kind === 'dir' && source.kind !== 'dir') throw new FsError(EISDIR);
    if (target?.kind === 'file' && source.kind === 'dir') throw new FsError(ENOTDIR);
    this.detachOpenFiles(to);
    this.truncations.take(to);
    await this.remote.run((board) => renameOver(board, from, to, target));
    this.cache.noteRenamed(from, to);
    for (const file of this.files.within(from)) file.path = to + file.path!.slice(from.length);
  }

  async statfs(): Promise<FsUsage> {
    return this.remote.run((board) => board.usage('/'), true);
  }

  /** The link was lost and is back: what the board holds is asked again (open files keep
   * their unsent writes). */
  forgetBoard(): void {
    this.remote.forget();
  }

  /** utimens, chmod, chown: boards keep no such metadata; accepted so `cp -p` and editors work. */
  async acceptMetadata(path: string): Promise<void> {
    await this.getattr(path);
  }

  /** Open files at `path` stop writing there; true if one held data never written to the board. */
  private detachOpenFiles(path: string): boolean {
    let neverWritten = false;
    for (const file of this.files.within(path)) {
      if (file.dirty && file.path === path && this.cache.content(path) === undefined) {
        neverWritten = true;
      }
      file.path = undefined;
      file.dirty = false;
    }
    return neverWritten;
  }

  private handle(fd: number): Handle {
    const handle = this.files.get(fd);
    if (!handle) throw new FsError(EBADF);
    return handle;
  }

  private writable(fd: number): OpenFile {
    const handle = this.handle(fd);
    if (!handle.writable) throw new FsError(EBADF);
    return handle.file;
  }

  /** The file with its bytes in memory, ready to change (its own copy, never the cache's). */
  private async loaded(file: OpenFile, skipBoard = false): Promise<OpenFile> {
    if (!file.data) {
      const bytes =
        skipBoard || !file.path ? new Uint8Array(0) : await this.remote.content(file.path);
      // Another write may have loaded it while this one waited for the board.
      if (!file.data) {
        file.data = bytes.slice();
        file.length = bytes.length;
      }
    }
    return file;
  }

  private refuseIfReadOnly(): void {
    if (this.readOnly) throw new FsError(EROFS);
  }
}

function isErrno(error: unknown, errno: number): boolean {
  return typeof error === 'object' && error !== null && 'errno' in error && error.errno === errno;
}

/** Rename, replacing the target as POSIX does. */
async function renameOver(
  board: BoardFs,
  from: string,
  to: string,
  target: CachedEntry | undefined,
): Promise<void> {
  try {
    await board.rename(from, to);
  } catch (error) {
    // FAT refuses to rename over an existing name; POSIX replaces it, so do that by hand.
    if (!target || !isErrno(error, EEXIST)) throw error;
    if (target.kind === 'dir') await board.rmdir(to);
    else await board.remove(to);
    await board.rename(from, to);
  }
}
