// src/sync/patch.ts: turn the difference between two versions of a text file (or of a compiled
// .mpy) into byte-offset PatchOps for `BoardFs.patchFile`, each op as small as what changed.
import { diffArrays, diffLines } from 'diff';
import type { PatchOp } from '../board/types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Give up diffing after this long and send the file whole; a whole write is never wrong. */
const DIFF_TIMEOUT_MS = 200;

/** Text means: no NUL byte and valid UTF-8. Anything else is sent whole. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The edits that turn `before` into `after`, or undefined when either is binary or the diff
 * takes too long. Ops are sorted by `at`, do not overlap, and their offsets are byte offsets in
 * `before` (so applying them from last to first, or all at once against `before`, is the same).
 */
export function buildPatch(before: Uint8Array, after: Uint8Array): PatchOp[] | undefined {
  const oldText = decodeText(before);
  const newText = decodeText(after);
  if (oldText === undefined || newText === undefined) return undefined;
  const changes = diffLines(oldText, newText, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return undefined;
  const ops: PatchOp[] = [];
  let offset = 0;
  let i = 0;
  while (i < changes.length) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      offset += encoder.encode(change.value).length;
      i++;
      continue;
    }
    // A hunk: consecutive removed/added runs between two common runs.
    let removed = '';
    let added = '';
    while (i < changes.length && (changes[i]!.added || changes[i]!.removed)) {
      if (changes[i]!.removed) removed += changes[i]!.value;
      else added += changes[i]!.value;
      i++;
    }
    const removedBytes = encoder.encode(removed);
    ops.push(trimmedOp(offset, removedBytes, encoder.encode(added)));
    offset += removedBytes.length;
  }
  return ops.filter((op) => op.deleteCount > 0 || op.insert.length > 0);
}

/** Binary patches are for compiled modules, which are small: a larger file goes whole. */
const BINARY_LIMIT = 64 * 1024;

/**
 * The edits that turn one `.mpy` into another, byte by byte, or undefined when they would not
 * pay. A one-line edit changes a few bytes of bytecode (a new name, a line added: a few dozen
 * spots), so this is small where a text diff cannot help; but inserted bytes travel as Python
 * literals (up to 4 characters a byte) while a whole write is deflated, so a patch must carry
 * well under a quarter of the file. Same ordering contract as `buildPatch`.
 */
export function buildBinaryPatch(before: Uint8Array, after: Uint8Array): PatchOp[] | undefined {
  if (before.length > BINARY_LIMIT || after.length > BINARY_LIMIT) return undefined;
  const changes = diffArrays(Array.from(before), Array.from(after), { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return undefined;
  const ops: PatchOp[] = [];
  let offset = 0;
  let i = 0;
  while (i < changes.length) {
    if (!changes[i]!.added && !changes[i]!.removed) {
      offset += changes[i]!.count ?? changes[i]!.value.length;
      i++;
      continue;
    }
    let deleteCount = 0;
    const added: number[] = [];
    while (i < changes.length && (changes[i]!.added || changes[i]!.removed)) {
      if (changes[i]!.removed) deleteCount += changes[i]!.value.length;
      else added.push(...changes[i]!.value);
      i++;
    }
    ops.push({ at: offset, deleteCount, insert: Uint8Array.from(added) });
    offset += deleteCount;
  }
  return patchPayloadSize(ops) * 4 < after.length ? ops : undefined;
}

/** Shrink a line-level replacement to the bytes that differ (common prefix and suffix kept). */
function trimmedOp(at: number, removed: Uint8Array, added: Uint8Array): PatchOp {
  let prefix = 0;
  const max = Math.min(removed.length, added.length);
  while (prefix < max && removed[prefix] === added[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    removed[removed.length - 1 - suffix] === added[added.length - 1 - suffix]
  ) {
    suffix++;
  }
  return {
    at: at + prefix,
    deleteCount: removed.length - prefix - suffix,
    insert: added.slice(prefix, added.length - suffix),
  };
}

/** Apply ops (as `buildPatch` makes them: sorted, offsets into `base`) to `base`. */
export function applyPatch(base: Uint8Array, ops: readonly PatchOp[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (const op of [...ops].sort((a, b) => a.at - b.at)) {
    if (op.at < pos || op.at + op.deleteCount > base.length) {
      throw new RangeError(`patch op at ${op.at} overlaps or runs past the end`);
    }
    parts.push(base.subarray(pos, op.at), op.insert);
    pos = op.at + op.deleteCount;
  }
  parts.push(base.subarray(pos));
  return concatBytes(parts);
}

/** Bytes a patch carries (what it costs on the wire beyond the call itself). */
export function patchPayloadSize(ops: readonly PatchOp[]): number {
  return ops.reduce((sum, op) => sum + op.insert.length + 12, 0);
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}
