// src/sync/plan.ts: the pure sync planner: given what the folder holds and what the board holds,
// the list of board operations that makes the board equal to the folder.
import { counterpartName } from '../compile/names.js';

/** One file as seen on either side. */
export interface FileState {
  size: number;
  digest: string;
}

/** A tree of files and folders; paths are relative to the synced root, `/`-separated, with no
 * leading `/` (the root itself is not listed). Folders implied by file paths may be omitted. */
export interface TreeSnapshot {
  files: Map<string, FileState>;
  dirs: Set<string>;
}

/** One operation on the board, on paths relative to the synced root. */
export type SyncAction =
  | { type: 'mkdir'; path: string }
  /** Send the whole file. */
  | { type: 'write'; path: string }
  /** Send a diff against the content the syncer still holds (the board has that base). */
  | { type: 'patch'; path: string }
  | { type: 'remove'; path: string }
  /** Remove a folder and everything in it. */
  | { type: 'removeTree'; path: string }
  | { type: 'rename'; from: string; to: string; kind: 'file' | 'dir' };

/** Which board entries missing from the folder may go: all of them (`--delete`), none
 * (`--no-delete`), or those a predicate allows (`watch`: what was deleted locally meanwhile). */
export type DeleteRule = boolean | ((path: string, isDir: boolean) => boolean);

/** How `planSync` may change the board. */
export interface PlanOptions {
  /** Remove board entries that are not in the folder; see DeleteRule. */
  delete: DeleteRule;
  /** Move board files instead of re-sending them when content reappears under a new name
   * (default true; only entries `delete` allows are moved away). */
  renames?: boolean;
  /** Digest of the content the syncer holds in memory for `path` (a possible patch base). */
  cachedDigest?: (path: string) => string | undefined;
  /** Board paths left alone (ignored): never removed, renamed or overwritten by the plan. */
  keep?: (path: string, isDir: boolean) => boolean;
}

/**
 * What must change on the board so that `remote` becomes `local`. Order: type conflicts removed,
 * folder renames, new folders (parents first), file renames, removals, then writes and patches
 * (removals come before writes so a nearly full flash has room for the new files). A module's
 * other form on the board (`x.py` where the folder has only `x.mpy`, or the reverse) is removed
 * even without `delete`: MicroPython imports `x.py` first, so it must never be a stale one.
 */
export function planSync(
  local: TreeSnapshot,
  remote: TreeSnapshot,
  options: PlanOptions,
): SyncAction[] {
  const keep = options.keep ?? (() => false);
  const rule = options.delete;
  const mayDelete = typeof rule === 'function' ? rule : () => rule;
  // Entries a removal or a move-away must leave where they are.
  const stays = (path: string, isDir: boolean) => keep(path, isDir) || !mayDelete(path, isDir);
  const localDirs = withImpliedDirs(local);
  const remoteDirs = withImpliedDirs(remote);
  const actions: SyncAction[] = [];
  // Board state as the plan changes it, so later steps see earlier ones.
  const boardFiles = new Map(remote.files);
  const boardDirs = new Set(remoteDirs);

  // 1. A board file where the folder has a folder, or the reverse: local wins.
  for (const path of sorted(localDirs)) {
    if (boardFiles.has(path) && !keep(path, false)) {
      actions.push({ type: 'remove', path });
      boardFiles.delete(path);
    }
  }
  for (const path of sorted(boardDirs)) {
    if (local.files.has(path) && !keep(path, true) && boardDirs.has(path)) {
      actions.push({ type: 'removeTree', path });
      dropTree(boardFiles, boardDirs, path);
    }
  }

  // 2. Folder renames: a folder gone from the board side whose whole content reappears under a
  // new folder name is moved in one operation.
  const renames = options.delete !== false && options.renames !== false;
  if (renames) {
    const gone = topmost([...boardDirs].filter((d) => !localDirs.has(d) && !stays(d, true)));
    const fresh = topmost([...localDirs].filter((d) => !boardDirs.has(d)));
    for (const from of gone) {
      if (containsKept(boardFiles, boardDirs, from, stays)) continue;
      const fromTree = subtree(boardFiles, boardDirs, from);
      if (fromTree.files.size === 0) continue;
      const index = fresh.findIndex((to) =>
        sameTree(fromTree, subtree(local.files, localDirs, to)),
      );
      if (index === -1) continue;
      const to = fresh.splice(index, 1)[0]!;
      actions.push({ type: 'rename', from, to, kind: 'dir' });
      moveTree(boardFiles, boardDirs, from, to);
    }
  }

  // 3. New folders, parents first.
  for (const path of sorted(localDirs)) {
    if (!boardDirs.has(path)) {
      actions.push({ type: 'mkdir', path });
      boardDirs.add(path);
    }
  }

  // 4. File renames: a board file missing from the folder whose exact content is a new file.
  if (renames) {
    const sources = new Map<string, string[]>();
    for (const [path, state] of boardFiles) {
      if (local.files.has(path) || stays(path, false)) continue;
      const list = sources.get(state.digest) ?? [];
      list.push(path);
      sources.set(state.digest, list);
    }
    // Two passes: moves that keep the base name (between folders) first, then any match.
    for (const sameName of [true, false]) {
      for (const path of sorted(local.files.keys())) {
        if (boardFiles.has(path)) continue;
        const state = local.files.get(path)!;
        const list = sources.get(state.digest);
        if (!list || list.length === 0 || state.size === 0) continue;
        const name = baseName(path);
        const pick = sameName ? list.findIndex((p) => baseName(p) === name) : 0;
        if (pick === -1) continue;
        const from = list.splice(pick, 1)[0]!;
        actions.push({ type: 'rename', from, to: path, kind: 'file' });
        boardFiles.set(path, boardFiles.get(from)!);
        boardFiles.delete(from);
      }
    }
  }

  // 5. Removals: whole folders where nothing in them is kept, else file by file.
  if (options.delete !== false) {
    const goneDirs = topmost([...boardDirs].filter((d) => !localDirs.has(d) && !stays(d, true)));
    for (const dir of goneDirs) {
      if (containsKept(boardFiles, boardDirs, dir, stays)) continue;
      actions.push({ type: 'removeTree', path: dir });
      dropTree(boardFiles, boardDirs, dir);
    }
    for (const path of sorted(boardFiles.keys())) {
      if (!local.files.has(path) && !stays(path, false)) {
        actions.push({ type: 'remove', path });
        boardFiles.delete(path);
      }
    }
  }

  // 5b. Stale counterparts of the folder's modules, with or without `delete`.
  for (const path of sorted(local.files.keys())) {
    const other = counterpartName(path);
    if (!other || local.files.has(other) || !boardFiles.has(other) || keep(other, false)) continue;
    actions.push({ type: 'remove', path: other });
    boardFiles.delete(other);
  }

  // 6. Content: patch when the board holds the base we still have in memory.
  for (const path of sorted(local.files.keys())) {
    const want = local.files.get(path)!;
    const have = boardFiles.get(path);
    if (have && have.digest === want.digest && have.size === want.size) continue;
    if (have && options.cachedDigest?.(path) === have.digest) {
      actions.push({ type: 'patch', path });
    } else {
      actions.push({ type: 'write', path });
    }
  }
  return actions;
}

/** Folders of a snapshot plus every parent folder its files and folders imply. */
export function withImpliedDirs(tree: TreeSnapshot): Set<string> {
  const dirs = new Set<string>();
  const addParents = (path: string): void => {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  };
  for (const dir of tree.dirs) {
    dirs.add(dir);
    addParents(dir);
  }
  for (const file of tree.files.keys()) addParents(file);
  return dirs;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function isUnder(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

/** The folders of `dirs` that are not inside another one of `dirs`. */
function topmost(dirs: string[]): string[] {
  const set = new Set(dirs);
  return dirs
    .filter((d) => {
      const parts = d.split('/');
      for (let i = 1; i < parts.length; i++) if (set.has(parts.slice(0, i).join('/'))) return false;
      return true;
    })
    .sort();
}

interface Subtree {
  files: Map<string, string>;
  dirs: Set<string>;
}

/** Files (relative path -> digest) and folders below `root`, paths relative to it. */
function subtree(files: Map<string, FileState>, dirs: Set<string>, root: string): Subtree {
  const out: Subtree = { files: new Map(), dirs: new Set() };
  const cut = root.length + 1;
  for (const [path, state] of files) {
    if (isUnder(path, root)) out.files.set(path.slice(cut), state.digest);
  }
  for (const dir of dirs) if (isUnder(dir, root)) out.dirs.add(dir.slice(cut));
  return out;
}

function sameTree(a: Subtree, b: Subtree): boolean {
  if (a.files.size !== b.files.size || a.dirs.size !== b.dirs.size) return false;
  for (const [path, digest] of a.files) if (b.files.get(path) !== digest) return false;
  for (const dir of a.dirs) if (!b.dirs.has(dir)) return false;
  return true;
}

function containsKept(
  files: Map<string, FileState>,
  dirs: Set<string>,
  root: string,
  keep: (path: string, isDir: boolean) => boolean,
): boolean {
  for (const path of files.keys()) if (isUnder(path, root) && keep(path, false)) return true;
  for (const dir of dirs) if (isUnder(dir, root) && keep(dir, true)) return true;
  return false;
}

function dropTree(files: Map<string, FileState>, dirs: Set<string>, root: string): void {
  for (const path of [...files.keys()]) if (isUnder(path, root)) files.delete(path);
  for (const dir of [...dirs]) if (dir === root || isUnder(dir, root)) dirs.delete(dir);
}

function moveTree(
  files: Map<string, FileState>,
  dirs: Set<string>,
  from: string,
  to: string,
): void {
  for (const [path, state] of [...files]) {
    if (!isUnder(path, from)) continue;
    files.delete(path);
    files.set(to + path.slice(from.length), state);
  }
  for (const dir of [...dirs]) {
    if (dir !== from && !isUnder(dir, from)) continue;
    dirs.delete(dir);
    dirs.add(to + dir.slice(from.length));
  }
}
