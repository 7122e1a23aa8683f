// src/sync/plan-text.ts: a sync plan as people and programs read it (`+ lib/a.py`, `~ main.py`,
// `- old.py`, `> a.py -> b.py`), and the one summary line of a one-shot sync.
import type { FileState, SyncAction } from './plan.js';

/** `+` new on the board, `~` replaced or patched, `-` removed, `>` moved (renamed). */
export type PlanOp = '+' | '~' | '-' | '>';

/** One line of a plan. Paths are relative to the synced board folder. */
export interface PlanEntry {
  op: PlanOp;
  path: string;
  /** Where a move goes. */
  to?: string;
  /** A folder (made, removed or moved with everything in it). */
  dir: boolean;
}

/** What a plan does, file by file. `remote`: the board's files before it. */
export function planEntries(actions: SyncAction[], remote: Map<string, FileState>): PlanEntry[] {
  // A file removed earlier in the plan (a file where a folder goes) is new when written again.
  const gone = new Set<string>();
  return actions.map((action): PlanEntry => {
    if (action.type === 'mkdir') return { op: '+', path: action.path, dir: true };
    if (action.type === 'remove' || action.type === 'removeTree') {
      gone.add(action.path);
      return { op: '-', path: action.path, dir: action.type === 'removeTree' };
    }
    if (action.type === 'rename') {
      gone.add(action.from);
      return { op: '>', path: action.from, to: action.to, dir: action.kind === 'dir' };
    }
    const there = remote.has(action.path) && !gone.has(action.path);
    return { op: there ? '~' : '+', path: action.path, dir: false };
  });
}

/** `+ lib/`, `~ main.py`, `> a.py -> b.py`: folders end in `/`. */
export function planLine(entry: PlanEntry): string {
  const slash = entry.dir ? '/' : '';
  const to = entry.to === undefined ? '' : ` -> ${entry.to}${slash}`;
  return `${entry.op} ${entry.path}${slash}${to}`;
}

/** Files a plan sends, moves, deletes and leaves as they are. */
export interface PlanCounts {
  /** Files written or patched. */
  sent: number;
  /** Their size, as they go (compiled with `--mpy`). */
  sentBytes: number;
  /** Files of the folder already on the board as they are. */
  skipped: number;
  /** Board files removed (a removed folder counts its files). */
  deleted: number;
  /** Board files moved to a new name instead of sent again. */
  moved: number;
}

/** Count what a plan does; `local`: the folder's files, `remote`: the board's before. */
export function countPlan(
  actions: SyncAction[],
  local: Map<string, FileState>,
  remote: Map<string, FileState>,
): PlanCounts {
  const filesUnder = (dir: string) =>
    [...remote.keys()].filter((path) => path.startsWith(`${dir}/`)).length;
  const counts: PlanCounts = { sent: 0, sentBytes: 0, skipped: 0, deleted: 0, moved: 0 };
  for (const action of actions) {
    if (action.type === 'write' || action.type === 'patch') {
      counts.sent++;
      counts.sentBytes += local.get(action.path)?.size ?? 0;
    } else if (action.type === 'remove') counts.deleted++;
    else if (action.type === 'removeTree') counts.deleted += filesUnder(action.path);
    else if (action.type === 'rename') {
      counts.moved += action.kind === 'dir' ? filesUnder(action.from) : 1;
    }
  }
  counts.skipped = Math.max(0, local.size - counts.sent - counts.moved);
  return counts;
}

/** `812 ms`, `1.2 s`. */
export function shortDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The summary line: `3 sent (4512 B), 47 skipped, 1 deleted, 5210 B on the wire, 1.2 s`; for a
 * dry run `dry run, nothing changed: 3 to send (4512 B), 47 skipped, 1 to delete`.
 */
export function describeDeploy(
  counts: PlanCounts,
  run: { dryRun: true } | { dryRun: false; wireBytes: number | undefined; ms: number },
): string {
  const moved = counts.moved > 0 ? `, ${counts.moved} ${run.dryRun ? 'to move' : 'moved'}` : '';
  if (run.dryRun) {
    return (
      `dry run, nothing changed: ${counts.sent} to send (${counts.sentBytes} B), ` +
      `${counts.skipped} skipped, ${counts.deleted} to delete${moved}`
    );
  }
  const wire = run.wireBytes === undefined ? '' : `, ${run.wireBytes} B on the wire`;
  return (
    `${counts.sent} sent (${counts.sentBytes} B), ${counts.skipped} skipped, ` +
    `${counts.deleted} deleted${moved}${wire}, ${shortDuration(run.ms)}`
  );
}
