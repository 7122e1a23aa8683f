// src/board/tree-upload.ts: a whole tree in two execs (board side: py/tree-compare.py and
// py/tree-write.py). First the manifest (folders, and files with size and digest) goes deflated as
// one bytes literal: the board makes the missing folders and says which files it does not hold.
// Then only those go, as one deflate stream on binary stdin with sendWindowed's windows, each to
// its temp name, verified by digest and renamed over its target. Names travel as data only.
import { deflateRawSync } from 'node:zlib';
import { TransportError, UsageError } from '../errors.js';
import type { Capabilities, Execution } from '../repl/types.js';
import { digestKindOf } from './digest.js';
import { DEFLATE_WBITS, isSmall } from './helper-loader.js';
import { pyBytes, pyCall } from './py-literal.js';
import { type PyParsed, parsePyRepr } from './py-repr.js';
import { hasInterruptWindow, sendWindowed, type WindowOptions } from './transfer.js';

/** One file of a tree upload: its board path, the path the board's `open` takes, its content and
 * the board's kind of digest of it. */
export interface TreeFile {
  path: string;
  wire: string;
  data: Uint8Array;
  digest: string;
}

/**
 * Hex digits of a sha256 a tree upload compares and verifies by: 64 bits tell an edit apart from
 * any other content, as for patches (board.ts PATCH_DIGEST), at a quarter of the wire bytes of the
 * whole digest. The checksum of boards without hashlib is short and goes whole.
 */
export const TREE_DIGEST = 16;

/** Files sent by the tree stream; fewer go one by one (the stream's exec would cost more). */
export const STREAM_FROM = 2;

/** True when the board can take the manifest (tree-compare.py): deflate, base64, folders and
 * their listing, and room for the manifest in RAM (small heaps keep the file-by-file path). */
export function canCompareTree(caps: Capabilities): boolean {
  return caps.deflate && caps.binascii && caps.directories && caps.ilistdir && !isSmall(caps);
}

/** The digest as the manifest carries it (see TREE_DIGEST). */
export function manifestDigest(digest: string): string {
  return digestKindOf(digest) === 'sha256' ? digest.slice(0, TREE_DIGEST) : digest;
}

/** `wire` and its parents, outermost first, without the root (`/`, or `` for relative paths). */
function withParents(wire: string): string[] {
  const out: string[] = [];
  for (let at = wire.indexOf('/', 1); at > 0; at = wire.indexOf('/', at + 1)) {
    out.push(wire.slice(0, at));
  }
  if (wire !== '' && wire !== '/' && wire !== '.') out.push(wire);
  return out;
}

/** Every folder the tree needs, `folders` and those holding its files, each after its parent. */
export function treeFolders(folders: string[], files: { wire: string }[]): string[] {
  const out = new Set<string>();
  for (const folder of folders) for (const f of withParents(folder)) out.add(f);
  for (const { wire } of files) {
    const cut = wire.lastIndexOf('/');
    if (cut > 0) for (const f of withParents(wire.slice(0, cut))) out.add(f);
  }
  return [...out];
}

/**
 * The manifest as tree-compare.py parses it: NUL-separated fields, three an entry: path, size
 * (empty for a folder), digest. A name with a NUL in it, which no filesystem holds, is refused:
 * it would shift the fields.
 */
export function encodeManifest(folders: string[], files: TreeFile[]): Uint8Array {
  const fields: string[] = [];
  for (const folder of folders) fields.push(folder, '', '');
  for (const file of files) {
    fields.push(file.wire, String(file.data.length), manifestDigest(file.digest));
  }
  for (const field of fields) {
    if (field.includes('\0')) throw new UsageError(`invalid name (NUL): ${JSON.stringify(field)}`);
  }
  return new TextEncoder().encode(fields.join('\0'));
}

/**
 * True when the manifest fits the board's heap with room to spare: the board holds it whole
 * (inflated, split into fields, and a list of entries). A bigger tree goes file by file.
 */
export function manifestFits(folders: string[], files: TreeFile[], caps: Capabilities): boolean {
  return caps.memFree < 0 || encodeManifest(folders, files).length * 16 <= caps.memFree;
}

/** The call that compares the tree (py/tree-compare.py `tc`); `force` sends every file. */
export function compareCall(folders: string[], files: TreeFile[], force: boolean): string {
  const manifest = deflateRawSync(encodeManifest(folders, files), {
    windowBits: DEFLATE_WBITS,
    level: 9,
  });
  // base64 travels as bytes: some binascii ports take no str
  const literal = pyBytes(new TextEncoder().encode(manifest.toString('base64')));
  return `_mpy.tc(${literal},${DEFLATE_WBITS},${force ? 1 : 0})\n`;
}

/** What `tc` printed: for each file, whether it must be sent. */
export function parseCompare(out: string, count: number): boolean[] {
  const answer = parsePyRepr(out);
  if (typeof answer !== 'string' || answer.length !== count || /[^01]/.test(answer)) {
    throw new TransportError(`unexpected answer to a tree's manifest: ${out.slice(0, 200)}`);
  }
  return [...answer].map((c) => c === '1');
}

/**
 * The deflate window of a tree's stream: what lets many small files shrink together. As big as
 * a sixteenth of the free heap holds, from DEFLATE_WBITS (1 KB) up to deflate's 32 KB.
 */
export function streamWbits(caps: Capabilities): number {
  let wbits = 15;
  while (wbits > DEFLATE_WBITS && 2 ** wbits * 16 > caps.memFree) wbits--;
  return wbits;
}

/** The stream of tree-write.py: the files' manifest, then their contents, deflated as one. */
export interface TreeStream {
  wire: Uint8Array;
  /** Bytes of manifest at the start of the inflated stream. */
  manifest: number;
  wbits: number;
  /** Content bytes, for progress. */
  total: number;
}

export function encodeStream(files: TreeFile[], wbits: number): TreeStream {
  const manifest = encodeManifest([], files);
  const inflated = Buffer.concat([manifest, ...files.map((f) => f.data)]);
  const wire = new Uint8Array(deflateRawSync(inflated, { windowBits: wbits, level: 9 }));
  return { wire, manifest: manifest.length, wbits, total: inflated.length - manifest.length };
}

/** The call that takes the stream (py/tree-write.py `tw`), or undefined when a window of it is
 * all Ctrl-C (see hasInterruptWindow): then the files go one by one. */
export function streamCall(stream: TreeStream, window: number): string | undefined {
  if (hasInterruptWindow(stream.wire, window)) return undefined;
  return pyCall('_mpy.tw', stream.wire.length, window, stream.wbits, stream.manifest);
}

/**
 * Send `stream` to a running `tw` and return what `ok` answered for each file: true (or 2,
 * committed by copying) or the board's digest when its copy did not match (left uncommitted).
 */
export async function sendStream(
  execution: Execution,
  stream: TreeStream,
  flow: WindowOptions,
  onProgress?: (sent: number, total: number) => void,
): Promise<PyParsed[]> {
  const { wire, total } = stream;
  await sendWindowed(execution, wire, flow, (sent) =>
    onProgress?.(Math.round((sent / Math.max(wire.length, 1)) * total), total),
  );
  const results = parsePyRepr(new TextDecoder().decode(await execution.finish()));
  if (!Array.isArray(results)) {
    throw new TransportError(`unexpected answer to a tree's stream: ${String(results)}`);
  }
  return results;
}
