// src/sync/scan.ts: read the watched folder into a snapshot (files with content and digest,
// folders), skipping ignored paths and re-reading only files whose stat changed.
import type { Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_IGNORES, IgnoreMatcher } from './ignore.js';
import type { TreeSnapshot } from './plan.js';

/** A snapshot of the local folder plus the bytes of every file in it. */
export interface LocalTree extends TreeSnapshot {
  contents: Map<string, Uint8Array>;
}

interface CachedFile {
  key: string;
  data: Uint8Array;
  digest: string;
}

/**
 * Scans one folder repeatedly. The ignore rules are the defaults, then the folder's `.gitignore`
 * (re-read on every scan, so editing it takes effect), then `extraIgnores` (`--ignore`).
 */
export class FolderScanner {
  private cache = new Map<string, CachedFile>();
  private cachedDigest: ((data: Uint8Array) => string) | undefined;
  private matcher = new IgnoreMatcher(DEFAULT_IGNORES);
  /** Folders entered in this scan (`dev:ino`), so a symlink back up the tree is not a loop. */
  private readonly visited = new Set<string>();

  constructor(
    readonly root: string,
    private readonly extraIgnores: readonly string[] = [],
  ) {}

  /** The rules of the last scan: true when a relative path is ignored. */
  ignores(path: string, isDir: boolean): boolean {
    return this.matcher.ignores(path, isDir);
  }

  /** Read the folder. `digest` is the board's digest function (host side); `dirty` paths are
   * re-read even if their stat looks unchanged (mtime granularity can hide a quick edit). */
  async scan(
    digest: (data: Uint8Array) => string,
    dirty: Iterable<string> = [],
  ): Promise<LocalTree> {
    if (digest !== this.cachedDigest) {
      this.cache.clear();
      this.cachedDigest = digest;
    }
    for (const path of dirty) this.cache.delete(path);
    this.matcher = await this.loadRules();
    const tree: LocalTree = { files: new Map(), dirs: new Set(), contents: new Map() };
    const seen = new Set<string>();
    this.visited.clear();
    const rootInfo = await stat(this.root);
    this.visited.add(`${rootInfo.dev}:${rootInfo.ino}`);
    await this.walk('', tree, digest, seen);
    for (const path of [...this.cache.keys()]) if (!seen.has(path)) this.cache.delete(path);
    return tree;
  }

  private async loadRules(): Promise<IgnoreMatcher> {
    const matcher = new IgnoreMatcher(DEFAULT_IGNORES);
    try {
      matcher.add((await readFile(join(this.root, '.gitignore'), 'utf8')).split('\n'));
    } catch {
      // No .gitignore: defaults only.
    }
    return matcher.add(this.extraIgnores);
  }

  private async walk(
    dir: string,
    tree: LocalTree,
    digest: (data: Uint8Array) => string,
    seen: Set<string>,
  ): Promise<void> {
    let names: string[];
    try {
      names = await readdir(join(this.root, dir));
    } catch (error) {
      // The folder went away between the listing above and now (a burst still in progress).
      if (dir !== '' && isMissing(error)) return;
      throw error;
    }
    for (const name of names.sort()) {
      const path = dir === '' ? name : `${dir}/${name}`;
      let info: Stats;
      try {
        info = await stat(join(this.root, path));
      } catch {
        continue; // Vanished, or a dangling symlink.
      }
      if (info.isDirectory()) {
        if (this.matcher.ignores(path, true)) continue;
        const id = `${info.dev}:${info.ino}`;
        if (this.visited.has(id)) continue;
        this.visited.add(id);
        tree.dirs.add(path);
        await this.walk(path, tree, digest, seen);
      } else if (info.isFile()) {
        if (this.matcher.ignores(path, false)) continue;
        const file = await this.readCached(path, info, digest);
        if (!file) continue;
        seen.add(path);
        tree.files.set(path, { size: file.data.length, digest: file.digest });
        tree.contents.set(path, file.data);
      }
    }
  }

  private async readCached(
    path: string,
    info: Stats,
    digest: (data: Uint8Array) => string,
  ): Promise<CachedFile | undefined> {
    const key = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const cached = this.cache.get(path);
    if (cached?.key === key) return cached;
    let data: Uint8Array;
    try {
      data = new Uint8Array(await readFile(join(this.root, path)));
    } catch {
      return undefined;
    }
    const file = { key, data, digest: digest(data) };
    this.cache.set(path, file);
    return file;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
