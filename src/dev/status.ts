// src/dev/status.ts: the one status line `mpy dev` prints per sync, naming what changed:
// `synced main.py (1 patched, 212 B, 48 ms)`.
import { countParts, type SyncReport } from '../sync/report.js';

/** Files named in the line; more are counted. */
const NAMED = 3;

/** `synced main.py (1 patched, 212 B, 48 ms)`, `board up to date (640 B, 310 ms)`. */
export function describeDevSync(report: SyncReport): string {
  const names = report.actions
    .filter((action) => action.type !== 'mkdir')
    .map((action) => (action.type === 'rename' ? action.to : action.path));
  const c = report.counts;
  const parts = countParts(c);
  if (report.wireBytes !== undefined) parts.push(formatBytes(report.wireBytes));
  parts.push(`${report.ms} ms`);
  const head =
    names.length === 0
      ? c.mkdir > 0
        ? 'synced'
        : 'board up to date'
      : `synced ${names.length <= NAMED ? names.join(', ') : `${names.length} files`}`;
  return `${head} (${parts.join(', ')})`;
}

function formatBytes(bytes: number): string {
  return bytes < 10_000 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
