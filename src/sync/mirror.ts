// src/sync/mirror.ts: what the syncer believes the board holds (digests, and the bytes it last
// sent, as patch bases), and the code that carries out one planned action and updates that belief.
import type { BoardFs } from '../board/types.js';
import { BoardError } from '../errors.js';
import { buildBinaryPatch, buildPatch, patchPayloadSize } from './patch.js';
import type { FileState, SyncAction, TreeSnapshot } from './plan.js';
import { withImpliedDirs } from './plan.js';
import type { LocalTree } from './scan.js';

/** How an action ended up on the board. */
export type Outcome = 'patched' | 'written' | 'removed' | 'renamed' | 'mkdir';

/** The board side of the sync, relative paths as in the planner. */
export class BoardMirror implements TreeSnapshot {
  files = new Map<string, FileState>();
  dirs = new Set<string>();
  /** Content known to be on the board (what we sent or verified by digest): patch bases. */
  private contents = new Map<string, Uint8Array>();

  /** `target`: the board folder mirrored (`/` or `/app`). */
  constructor(readonly target: string) {}

  /** Board path of a relative path. */
  boardPath(path: string): string {
    if (path === '') return this.target;
    return this.target === '/' ? `/${path}` : `${this.target}/${path}`;
  }

  /** Relative path of a path `digestTree` returned (absolute, or already relative). */
  relativePath(path: string): string {
    const prefix = this.target === '/' ? '/' : `${this.target}/`;
    if (path.startsWith(prefix)) return path.slice(prefix.length);
    return path.replace(/^\/+/, '');
  }

  /** Digest of the patch base held for `path`. */
  baseDigest(path: string, digest: (data: Uint8Array) => string): string | undefined {
    const data = this.contents.get(path);
    return data ? digest(data) : undefined;
  }

  /** Replace the belief with what the board reported. Held bases are kept: a file whose board
   * digest still equals its base can be patched. Files equal to the local copy adopt it as base. */
  reset(remote: Map<string, FileState>, local: LocalTree): void {
    this.files = new Map(remote);
    this.dirs = withImpliedDirs({ files: remote, dirs: new Set() });
    for (const [path, state] of remote) {
      if (local.files.get(path)?.digest === state.digest) {
        this.contents.set(path, local.contents.get(path)!);
      }
    }
    for (const path of [...this.contents.keys()]) if (!remote.has(path)) this.contents.delete(path);
  }

  /**
   * Carry out one action on the board and record its effect. A patch that the board refuses
   * (base changed under us) or that would not be smaller than the file becomes a whole write.
   * BoardErrors other than "already there" / "already gone" propagate.
   */
  async apply(board: BoardFs, action: SyncAction, local: LocalTree): Promise<Outcome> {
    switch (action.type) {
      case 'mkdir':
        await ignoreErrno(board.mkdir(this.boardPath(action.path), { parents: true }), 17);
        this.dirs.add(action.path);
        return 'mkdir';
      case 'remove':
        await ignoreErrno(board.remove(this.boardPath(action.path)), 2);
        this.forget(action.path);
        return 'removed';
      case 'removeTree':
        await ignoreErrno(board.removeTree(this.boardPath(action.path)), 2);
        this.forget(action.path);
        return 'removed';
      case 'rename':
        await board.rename(this.boardPath(action.from), this.boardPath(action.to));
        this.move(action.from, action.to);
        return 'renamed';
      case 'patch':
      case 'write': {
        const data = local.contents.get(action.path)!;
        const patched = action.type === 'patch' && (await this.tryPatch(board, action.path, data));
        if (!patched) await board.writeFile(this.boardPath(action.path), data);
        this.files.set(action.path, local.files.get(action.path)!);
        this.contents.set(action.path, data);
        return patched ? 'patched' : 'written';
      }
    }
  }

  /**
   * Carry out `tree` (see `treeActions`) as one `writeTree`, the board asked for nothing (the plan
   * knows these files differ). Returns false, nothing done, where the board takes no tree: then
   * each action goes by `apply`, folders first.
   */
  async applyTree(board: BoardFs, tree: SyncAction[], local: LocalTree): Promise<boolean> {
    const folders = tree.filter((a) => a.type === 'mkdir').map((a) => a.path);
    const files = tree.filter((a) => a.type === 'write').map((a) => a.path);
    const done = await board.writeTree?.({
      folders: folders.map((path) => this.boardPath(path)),
      files: files.map((path) => ({ path: this.boardPath(path), data: local.contents.get(path)! })),
      force: true,
    });
    if (!done) return false;
    for (const path of folders) this.dirs.add(path);
    for (const path of files) {
      this.files.set(path, local.files.get(path)!);
      this.contents.set(path, local.contents.get(path)!);
    }
    return true;
  }

  private async tryPatch(board: BoardFs, path: string, data: Uint8Array): Promise<boolean> {
    const base = this.contents.get(path);
    if (!base) return false;
    // compiled modules (`--mpy`) are bytecode, which a text diff cannot read
    const ops =
      buildPatch(base, data) ?? (path.endsWith('.mpy') ? buildBinaryPatch(base, data) : undefined);
    if (!ops || patchPayloadSize(ops) >= data.length) return false;
    const digest = (d: Uint8Array) => board.localDigest(d);
    try {
      return await board.patchFile(
        this.boardPath(path),
        digest(base),
        ops,
        digest(data),
        base.length,
      );
    } catch (error) {
      // The board could not patch (old firmware, odd state): a whole write still works.
      if (error instanceof BoardError) return false;
      throw error;
    }
  }

  /** Drop a file or a folder and everything below it. */
  private forget(path: string): void {
    const below = (p: string) => p === path || p.startsWith(`${path}/`);
    for (const p of [...this.files.keys()]) if (below(p)) this.files.delete(p);
    for (const p of [...this.contents.keys()]) if (below(p)) this.contents.delete(p);
    for (const p of [...this.dirs]) if (below(p)) this.dirs.delete(p);
  }

  private move(from: string, to: string): void {
    const rebase = <V>(map: Map<string, V>) => {
      for (const [p, v] of [...map]) {
        if (p !== from && !p.startsWith(`${from}/`)) continue;
        map.delete(p);
        map.set(to + p.slice(from.length), v);
      }
    };
    rebase(this.files);
    rebase(this.contents);
    for (const p of [...this.dirs]) {
      if (p !== from && !p.startsWith(`${from}/`)) continue;
      this.dirs.delete(p);
      this.dirs.add(to + p.slice(from.length));
    }
  }
}

/**
 * The actions of a plan that can go as one tree (`BoardFs.writeTree`): its whole-file writes
 * when there are several, with its new folders unless a rename may need them first (then they
 * stay in plan order). Folders are listed first, and the tree goes after the plan's other
 * actions: removals make room first, and nothing else needs the new folders.
 */
export function treeActions(actions: SyncAction[]): SyncAction[] {
  const writes = actions.filter((a) => a.type === 'write');
  if (writes.length < 2) return [];
  if (actions.some((a) => a.type === 'rename')) return writes;
  return [...actions.filter((a) => a.type === 'mkdir'), ...writes];
}

/** Await `operation`, treating a BoardError with `errno` as success. */
async function ignoreErrno(operation: Promise<void>, errno: number): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof BoardError && error.errno === errno)) throw error;
  }
}
