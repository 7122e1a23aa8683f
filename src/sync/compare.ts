// src/sync/compare.ts: does the board hold the folder? The pure comparison of the folder's files
// with the board's, as read back by digest after a sync.
import type { FileState } from './plan.js';

/** How the board's files compare with the folder's. Paths are relative to the synced root. */
export interface SyncCheck {
  /** Files of the folder the board does not have. */
  missing: string[];
  /** Files the board has with other content. */
  differing: string[];
  /** Board files the folder does not have and no ignore rule keeps. */
  extra: string[];
  /** Files of the folder (as they go: compiled names with `--mpy`). */
  files: number;
  /** Files of the folder's subfolders, which a board without folders cannot hold. */
  leftOut: string[];
}

/** Compare `local` (the folder) with `remote` (the board); `keep`: board paths left alone. */
export function compareTrees(
  local: Map<string, FileState>,
  remote: Map<string, FileState>,
  options: { keep?: (path: string) => boolean; leftOut?: readonly string[] } = {},
): SyncCheck {
  const keep = options.keep ?? (() => false);
  const missing: string[] = [];
  const differing: string[] = [];
  for (const [path, want] of local) {
    const have = remote.get(path);
    if (!have) missing.push(path);
    else if (have.digest !== want.digest || have.size !== want.size) differing.push(path);
  }
  const extra = [...remote.keys()].filter((path) => !local.has(path) && !keep(path)).sort();
  return { missing, differing, extra, files: local.size, leftOut: [...(options.leftOut ?? [])] };
}
