// src/fuse/cache.ts: what the mount knows about the board without asking it: folder listings
// (with each entry's attributes) and file contents. Pure bookkeeping, no board access.
import type { DirEntry } from '../board/types.js';
import { baseName, isWithin, joinPath, parentOf } from './paths.js';

/** Attributes of one cached entry. */
export interface CachedEntry {
  kind: 'file' | 'dir';
  size: number;
  /** Seconds since the epoch, when known. */
  mtime?: number;
}

/** Contents beyond this many bytes in total evict the oldest cached files (boards hold a few MB). */
const DEFAULT_CONTENT_LIMIT = 16 * 1024 * 1024;

/**
 * Listings and contents keyed by absolute board path. The mount owns the board's REPL while it
 * runs, so nothing else changes the files: entries stay valid until our own operations update
 * them through the note* methods, or the link is lost (`clear`).
 */
export class FsCache {
  private readonly listings = new Map<string, Map<string, CachedEntry>>();
  private readonly contents = new Map<string, Uint8Array>();
  private contentBytes = 0;

  constructor(private readonly contentLimit = DEFAULT_CONTENT_LIMIT) {}

  /** Names and attributes of a folder, or undefined when not listed yet. */
  listing(dir: string): ReadonlyMap<string, CachedEntry> | undefined {
    return this.listings.get(dir);
  }

  /** Record a folder listing as the board reported it. */
  setListing(dir: string, entries: readonly DirEntry[]): void {
    const map = new Map<string, CachedEntry>();
    for (const entry of entries) {
      map.set(entry.name, { kind: entry.kind, size: entry.size, mtime: entry.mtime });
    }
    this.listings.set(dir, map);
  }

  /**
   * Attributes of `path` from its parent's listing: the entry, `null` when the parent is listed
   * and has no such name, undefined when the parent has not been listed.
   */
  lookup(path: string): CachedEntry | null | undefined {
    if (path === '/') return { kind: 'dir', size: 0 };
    const parent = this.listings.get(parentOf(path));
    if (!parent) return undefined;
    return parent.get(baseName(path)) ?? null;
  }

  /** Cached bytes of a file, if read or written before. */
  content(path: string): Uint8Array | undefined {
    return this.contents.get(path);
  }

  /** Remember a file's bytes (after a read or our own write) and its size in the listing. */
  setContent(path: string, data: Uint8Array): void {
    this.dropContent(path);
    this.contents.set(path, data);
    this.contentBytes += data.length;
    this.evictBeyondLimit(path);
    const entry = this.lookup(path);
    if (entry && entry.kind === 'file') entry.size = data.length;
  }

  /** A file now exists at `path` with `size` bytes (created, written or truncated by us). */
  noteFile(path: string, size: number): void {
    const parent = this.listings.get(parentOf(path));
    parent?.set(baseName(path), { kind: 'file', size, mtime: Math.floor(Date.now() / 1000) });
  }

  /** A folder was made at `path`: it is known to be empty, so lookups inside cost nothing. */
  noteDir(path: string): void {
    const parent = this.listings.get(parentOf(path));
    parent?.set(baseName(path), { kind: 'dir', size: 0, mtime: Math.floor(Date.now() / 1000) });
    this.listings.set(path, new Map());
  }

  /** `path` (a file or a whole folder tree) is gone. */
  noteRemoved(path: string): void {
    this.listings.get(parentOf(path))?.delete(baseName(path));
    for (const key of [...this.listings.keys()]) {
      if (isWithin(key, path)) this.listings.delete(key);
    }
    for (const key of [...this.contents.keys()]) {
      if (isWithin(key, path)) this.dropContent(key);
    }
  }

  /** `from` was renamed to `to` (replacing whatever was there): move entries, listings, contents. */
  noteRenamed(from: string, to: string): void {
    const entry = this.lookup(from);
    const movedListings = [...this.listings].filter(([key]) => isWithin(key, from));
    const movedContents = [...this.contents].filter(([key]) => isWithin(key, from));
    this.noteRemoved(to);
    this.noteRemoved(from);
    if (entry) this.listings.get(parentOf(to))?.set(baseName(to), entry);
    else this.forgetListing(parentOf(to));
    for (const [key, listing] of movedListings)
      this.listings.set(to + key.slice(from.length), listing);
    for (const [key, data] of movedContents) this.setContent(to + key.slice(from.length), data);
  }

  /** Forget everything: the board may have changed while the link was down. */
  clear(): void {
    this.listings.clear();
    this.contents.clear();
    this.contentBytes = 0;
  }

  /** Forget a folder's listing so the next lookup asks the board again. */
  forgetListing(dir: string): void {
    this.listings.delete(dir);
  }

  /** Paths of the cached entries of a listed folder, for tests and diagnostics. */
  childPaths(dir: string): string[] {
    return [...(this.listings.get(dir)?.keys() ?? [])].map((name) => joinPath(dir, name));
  }

  private dropContent(path: string): void {
    const old = this.contents.get(path);
    if (!old) return;
    this.contentBytes -= old.length;
    this.contents.delete(path);
  }

  /** Drop the oldest contents until within the limit, but never `newest`: the kernel reads a
   * file in chunks, and a file over the limit must not be fetched again for each one. */
  private evictBeyondLimit(newest: string): void {
    // Map iteration is insertion order, so the first keys are the oldest contents.
    for (const key of this.contents.keys()) {
      if (this.contentBytes <= this.contentLimit) break;
      if (key !== newest) this.dropContent(key);
    }
  }
}
