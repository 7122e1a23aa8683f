// src/sync/report.ts: what one sync did, and the one log line that says so.
import type { Outcome } from './mirror.js';
import type { SyncAction } from './plan.js';

/** What one sync did. */
export interface SyncReport {
  /** True when the board was re-read by digest (first sync, after a reconnect or an error). */
  verified: boolean;
  actions: SyncAction[];
  counts: Record<Outcome, number>;
  /** Host -> board bytes, when the session counts them. */
  wireBytes: number | undefined;
  ms: number;
  /** Files of the folder at this sync (as they go: compiled names with `--mpy`). */
  files?: number;
}

/** `synced 2 files (1 patched, 1 written), 184 B on the wire, 63 ms`. */
export function describeSync(report: SyncReport): string {
  const c = report.counts;
  const files = c.patched + c.written + c.removed + c.renamed;
  const parts = countParts(c);
  const head =
    files === 0 && c.mkdir === 0
      ? 'board up to date'
      : `synced ${files} ${files === 1 ? 'file' : 'files'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  const wire = report.wireBytes === undefined ? '' : `, ${report.wireBytes} B on the wire`;
  return `${head}${wire}, ${report.ms} ms`;
}

/** `1 patched`, `2 written`, `1 folder made`…: the outcomes that happened, in a fixed order. */
export function countParts(c: Record<Outcome, number>): string[] {
  return (
    [
      [c.patched, 'patched'],
      [c.written, 'written'],
      [c.removed, 'removed'],
      [c.renamed, 'renamed'],
      [c.mkdir, c.mkdir === 1 ? 'folder made' : 'folders made'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`);
}
