// src/fuse/cached-board.ts: the board as the mount sees it: every board call goes through one
// queue (and through a reconnect after a lost link), and listings, attributes and contents are
// answered from the cache once known.
import type { BoardFs } from '../board/types.js';
import type { BoardLink } from './board-link.js';
import { type CachedEntry, FsCache } from './cache.js';
import { ENOENT, FsError } from './errno.js';
import { parentOf } from './paths.js';
import { BoardQueue } from './queue.js';

/** A BoardFs behind a cache and a queue; concurrent callers of the same read share one call. */
export class CachedBoard {
  readonly cache = new FsCache();
  private readonly queue = new BoardQueue();
  private readonly listingsInFlight = new Map<string, Promise<void>>();
  private readonly readsInFlight = new Map<string, Promise<Uint8Array>>();
  private directories: Promise<boolean> | undefined;

  constructor(private readonly link: BoardLink) {}

  /**
   * Run a board call after every call queued before it. `retry`: the call may run again on a
   * new connection when the link failed under it (it reads, or writes a whole file atomically);
   * otherwise it fails, since whether it happened is unknown.
   */
  run<T>(job: (board: BoardFs) => Promise<T>, retry = false): Promise<T> {
    return this.queue.run(() => this.link.call(job, retry));
  }

  /** Forget all the board was known to hold (it may have changed while the link was down). */
  forget(): void {
    this.cache.clear();
    this.directories = undefined;
  }

  /** Resolves once every queued board call has settled. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Attributes of `path` from its parent's listing (listing the parent once if needed). */
  async entry(path: string): Promise<CachedEntry> {
    let entry = this.cache.lookup(path);
    if (entry === undefined) {
      await this.ensureListing(parentOf(path));
      entry = this.cache.lookup(path);
    }
    if (!entry) throw new FsError(ENOENT);
    return entry;
  }

  /** Like entry, but undefined when nothing is there. */
  async entryOrNothing(path: string): Promise<CachedEntry | undefined> {
    return this.entry(path).catch((error: unknown) => {
      if (error instanceof FsError && error.errno === ENOENT) return undefined;
      throw error;
    });
  }

  /** Names in a folder, listed once with their attributes in one board round trip. */
  async names(dir: string): Promise<string[]> {
    await this.ensureListing(dir);
    return [...(this.cache.listing(dir)?.keys() ?? [])];
  }

  /** A file's bytes: cached after the first read. The result is shared: do not modify it. */
  async content(path: string): Promise<Uint8Array> {
    const cached = this.cache.content(path);
    if (cached) return cached;
    let pending = this.readsInFlight.get(path);
    if (!pending) {
      pending = this.run((board) => board.readFile(path), true);
      this.readsInFlight.set(path, pending);
      pending.then(
        (data) => {
          this.readsInFlight.delete(path);
          this.cache.setContent(path, data);
        },
        () => this.readsInFlight.delete(path),
      );
    }
    return pending;
  }

  /** Write a whole file (atomic and verified by the board layer) and cache what was written. */
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    try {
      await this.run((board) => board.writeFile(path, data), true);
    } catch (error) {
      // The write was atomic, so the board holds the old file or none: ask it again next time.
      this.cache.forgetListing(parentOf(path));
      this.cache.noteRemoved(path);
      throw error;
    }
    this.cache.noteFile(path, data.length);
    this.cache.setContent(path, data);
  }

  /** Whether the board has folders, asked once. */
  hasDirectories(): Promise<boolean> {
    this.directories ??= this.run((board) => board.hasDirectories(), true);
    return this.directories;
  }

  private async ensureListing(dir: string): Promise<void> {
    if (this.cache.listing(dir)) return;
    let pending = this.listingsInFlight.get(dir);
    if (!pending) {
      pending = this.run((board) => board.listDir(dir), true)
        .then((entries) => this.cache.setListing(dir, entries))
        .finally(() => this.listingsInFlight.delete(dir));
      this.listingsInFlight.set(dir, pending);
    }
    await pending;
  }
}
