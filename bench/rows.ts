// bench/rows.ts: the watch and mount rows (filled in as those features land).
import type { Fixtures, Row } from './bench.js';
import type { BenchBoard } from './harness.js';

export async function extraRows(
  _board: BenchBoard,
  _files: Fixtures,
  _base: Omit<Row, 'name' | 'payload' | 'direction' | 'sample'>,
): Promise<Row[]> {
  return [];
}
