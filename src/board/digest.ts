// src/board/digest.ts: the file digests the board helper computes (src/board/py/core.py `dg`),
// computed the same way on the host so unchanged files can be skipped without a transfer.
import { createHash } from 'node:crypto';

/** Which digest a board computes: sha256 where it has `hashlib`, else size plus Adler-32. */
export type DigestKind = 'sha256' | 'adler';

/** sha256 as lowercase hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `size:CCCCAAAA`, the two Adler-32 sums in hex, as `dg` prints it without hashlib. */
export function adlerDigest(data: Uint8Array): string {
  let a = 1;
  let c = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    c = (c + a) % 65521;
  }
  const h = (n: number) => n.toString(16).padStart(4, '0');
  return `${data.length}:${h(c)}${h(a)}`;
}

/** The digest of `data` of the given kind. */
export function digestOf(kind: DigestKind, data: Uint8Array): string {
  return kind === 'sha256' ? sha256Hex(data) : adlerDigest(data);
}

/** Which kind a digest the board computed is, by its form; undefined when neither. */
export function digestKindOf(digest: string): DigestKind | undefined {
  if (/^[0-9a-f]{64}$/.test(digest)) return 'sha256';
  if (/^\d+:[0-9a-f]{8}$/.test(digest)) return 'adler';
  return undefined;
}
