// src/many/table.ts: the table printed after a command ran on many boards: each board, ok or its
// one-line error, the bytes sent to it and the time it took, then how many succeeded.
import { shortDuration } from '../sync/plan-text.js';

/** How one board's run ended. */
export interface BoardResult {
  /** Short name (the tag of its output lines). */
  name: string;
  device: string;
  /** Exit code the command would have had on this board alone (0: ok). */
  code: number;
  /** The one-line error, when it failed. */
  error?: string;
  /** Shown instead of `ok` for a board that did not fail (`unplugged`). */
  note?: string;
  /** Bytes sent to the board (host -> board), when the link counts them. */
  bytesSent?: number;
  ms: number;
}

/** `4.1 KB`, `812 B`, `-`. */
function shortBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The table's lines (no trailing newline on each). */
export function resultTable(results: readonly BoardResult[]): string[] {
  const rows = results.map((r) => [
    r.name,
    r.code === 0 ? (r.note ?? 'ok') : `${r.error ?? 'failed'} (exit ${r.code})`,
    shortBytes(r.bytesSent),
    shortDuration(r.ms),
  ]);
  const header = ['board', 'result', 'sent', 'time'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const format = (row: string[]) =>
    row
      .map((cell, column) =>
        column >= 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  const ok = results.filter((r) => r.code === 0 && r.note === undefined).length;
  return [
    format(header),
    ...rows.map(format),
    `${ok} of ${results.length} ${results.length === 1 ? 'board' : 'boards'} ok`,
  ];
}
