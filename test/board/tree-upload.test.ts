// test/board/tree-upload.test.ts: the host side of a tree upload (src/board/tree-upload.ts): the
// manifest's bytes, the folders it makes and their order, the compare call and its answer, and
// the stream, which inflates to the manifest of the files followed by their contents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { adlerDigest, sha256Hex } from '../../src/board/digest.js';
import { DEFLATE_WBITS } from '../../src/board/helper-loader.js';
import {
  canCompareTree,
  compareCall,
  encodeManifest,
  encodeStream,
  manifestDigest,
  manifestFits,
  parseCompare,
  streamCall,
  streamWbits,
  TREE_DIGEST,
  type TreeFile,
  treeFolders,
} from '../../src/board/tree-upload.js';
import { TransportError, UsageError } from '../../src/errors.js';
import type { Capabilities } from '../../src/repl/types.js';

const text = (s: string) => new TextEncoder().encode(s);

function file(wire: string, content: string | Uint8Array): TreeFile {
  const data = typeof content === 'string' ? text(content) : content;
  return { path: wire, wire, data, digest: sha256Hex(data) };
}

const CAPS: Capabilities = {
  rawPaste: true,
  stdinBuffer: true,
  stdoutBuffer: true,
  hashlib: true,
  binascii: true,
  deflate: true,
  osStat: true,
  directories: true,
  rename: true,
  kbdIntr: true,
  statvfs: true,
  ilistdir: true,
  getcwd: true,
  memFree: 2_000_000,
  platform: 'linux',
  version: '',
};

test('the manifest is NUL-separated path, size, digest: folders with no size, digests cut', () => {
  const a = file('/app/a.py', 'print(1)\n');
  const manifest = new TextDecoder().decode(encodeManifest(['/app'], [a]));
  assert.equal(manifest, `/app\0\0\0/app/a.py\x009\0${a.digest.slice(0, TREE_DIGEST)}`);
  assert.equal(new TextDecoder().decode(encodeManifest([], [])), '');
  // a board without hashlib computes a short checksum: it goes whole
  const adler = adlerDigest(text('x'));
  assert.equal(manifestDigest(adler), adler);
  assert.equal(manifestDigest(sha256Hex(text('x'))).length, 16);
  // names are data: quotes, newlines and non-ASCII pass as they are, a NUL is refused
  const odd = file("/it's\n\u00fc.py", 'x');
  assert.ok(new TextDecoder().decode(encodeManifest([], [odd])).startsWith("/it's\n\u00fc.py\0"));
  assert.throws(() => encodeManifest([], [file('/a\0b.py', 'x')]), UsageError);
});

test('every folder the tree needs is made, each after its parent, the root never', () => {
  const files = [file('/a/b/c/x.py', ''), file('/a/y.py', ''), file('/top.py', '')];
  assert.deepEqual(treeFolders(['/a/b/empty', '/d'], files), [
    '/a',
    '/a/b',
    '/a/b/empty',
    '/d',
    '/a/b/c',
  ]);
  assert.deepEqual(treeFolders(['/'], []), []);
  // relative paths (a board that cannot say its folder) stay relative
  assert.deepEqual(treeFolders(['.'], [file('lib/x.py', '')]), ['lib']);
});

test('the compare call carries the manifest deflated in a base64 bytes literal, nothing else', () => {
  const files = [file("/q'uote.py", 'a'), file('/b.py', 'b')];
  const call = compareCall(['/d'], files, false);
  const match = /^_mpy\.tc\(b'([A-Za-z0-9+/=]+)',(\d+),0\)\n$/.exec(call);
  assert.ok(match, call);
  assert.equal(Number(match[2]), DEFLATE_WBITS);
  const manifest = inflateRawSync(Buffer.from(match[1]!, 'base64'));
  assert.deepEqual(new Uint8Array(manifest), encodeManifest(['/d'], files));
  assert.match(compareCall([], files, true), /,1\)\n$/);
});

test("the board's answer is one 0/1 a file, or a link problem", () => {
  assert.deepEqual(parseCompare("'101'\n", 3), [true, false, true]);
  assert.deepEqual(parseCompare("''\r\n", 0), []);
  assert.throws(() => parseCompare("'10'\n", 3), TransportError);
  assert.throws(() => parseCompare("'1x1'\n", 3), TransportError);
  assert.throws(() => parseCompare('garbage', 3), TransportError);
});

test('the stream inflates to the files manifest, then their contents, in order', () => {
  const files = [
    file('/a.py', 'a = 1\n'.repeat(50)),
    file('/lib/b.bin', new Uint8Array([3, 0, 255])),
  ];
  const stream = encodeStream(files, 12);
  const inflated = new Uint8Array(inflateRawSync(stream.wire));
  const manifest = encodeManifest([], files);
  assert.equal(stream.manifest, manifest.length);
  assert.deepEqual(inflated.subarray(0, stream.manifest), manifest);
  assert.equal(
    Buffer.from(inflated.subarray(stream.manifest)).toString('latin1'),
    `${'a = 1\n'.repeat(50)}\x03\x00\xff`,
  );
  assert.equal(stream.total, 303);
  assert.ok(stream.wire.length < 100, 'one stream across the files: repeats shrink');
  assert.equal(streamCall(stream, 128), `_mpy.tw(${stream.wire.length},128,12,${stream.manifest})`);
});

test('a stream with a window of nothing but Ctrl-C is not sent as one', () => {
  const stream = { wire: new Uint8Array(300).fill(3), manifest: 0, wbits: 10, total: 0 };
  assert.equal(streamCall(stream, 128), undefined);
});

test('the window grows with the free heap, from 1 KB to 32 KB', () => {
  assert.equal(streamWbits({ ...CAPS, memFree: 2_000_000 }), 15);
  assert.equal(streamWbits({ ...CAPS, memFree: 254_960 }), 13);
  assert.equal(streamWbits({ ...CAPS, memFree: 60_000 }), 11);
  assert.equal(streamWbits({ ...CAPS, memFree: 20_000 }), DEFLATE_WBITS);
  assert.equal(streamWbits({ ...CAPS, memFree: -1 }), DEFLATE_WBITS);
});

test("a manifest that would not fit a sixteenth of the board's heap is not sent", () => {
  const files = Array.from({ length: 400 }, (_, i) => file(`/lib/module_${i}.py`, 'x'));
  assert.equal(manifestFits([], files, CAPS), true);
  assert.equal(manifestFits([], files, { ...CAPS, memFree: 100_000 }), false);
  assert.equal(manifestFits([], files.slice(0, 100), { ...CAPS, memFree: 100_000 }), true);
});

test('only boards with deflate, base64, folders, listings and room take a tree', () => {
  assert.equal(canCompareTree(CAPS), true);
  for (const missing of ['deflate', 'binascii', 'directories', 'ilistdir'] as const) {
    assert.equal(canCompareTree({ ...CAPS, [missing]: false }), false, missing);
  }
  assert.equal(canCompareTree({ ...CAPS, memFree: 9_000 }), false);
});
