// src/board/patch-segments.ts: turn `PatchOp`s into what py/patch.py takes: copy ranges of the
// old file and inserted bytes, in file order.
import type { PatchOp } from './types.js';

/** Copy ranges `[start, length]` and inserted bytes, in order; the last range (length -1) runs
 * to the end of the file. Throws `RangeError` when operations overlap. */
export function patchSegments(ops: PatchOp[]): (Uint8Array | [number, number])[] {
  const sorted = [...ops].sort((a, b) => a.at - b.at);
  const segments: (Uint8Array | [number, number])[] = [];
  let cursor = 0;
  for (const op of sorted) {
    if (op.at < cursor) throw new RangeError('patch operations overlap');
    if (op.at > cursor) segments.push([cursor, op.at - cursor]);
    if (op.insert.length > 0) segments.push(op.insert);
    cursor = op.at + op.deleteCount;
  }
  segments.push([cursor, -1]);
  return segments;
}
