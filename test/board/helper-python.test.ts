// test/board/helper-python.test.ts: the board helper (src/board/py, minified as it is sent) run
// in bare MicroPython: digests match the host's, patches and text uploads rebuild files exactly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { adlerDigest, sha256Hex } from '../../src/board/digest.js';
import { patchSegments } from '../../src/board/patch-segments.js';
import { pyStr, pyValue } from '../../src/board/py-literal.js';
import { parsePyRepr, parsePyReprLines } from '../../src/board/py-repr.js';
import { helperSource } from '../../src/board/py-source.js';
import { textUploadCode } from '../../src/board/transfer.js';
import { minifyPython } from '../../src/repl/python.js';
import { loadWasmPython, type WasmPython } from './wasm-python.js';

let py: WasmPython;
before(async () => {
  py = await loadWasmPython();
  for (const part of ['core', 'fs', 'patch', 'text'] as const) py.run(helperSource(part));
  py.run("import os\nos.mkdir('/t')\nos.chdir('/t')");
});

function put(path: string, data: Uint8Array): void {
  py.run(`f=open(${pyStr(path)},'wb');f.write(${pyValue(data)});f.close()`);
}

function read(path: string): Buffer {
  const hex = py.run(
    `import binascii;f=open(${pyStr(path)},'rb');print(binascii.hexlify(f.read()).decode());f.close()`,
  );
  return Buffer.from(hex.trim(), 'hex');
}

test('minify drops comments and blank lines and shrinks indents', () => {
  assert.equal(minifyPython('# c\n\ndef f():\n    # x\n    return 1\n'), 'def f():\n return 1\n');
  assert.equal(minifyPython('x = f(a, "b = c, d")  \n'), 'x=f(a,"b = c, d")\n');
  assert.equal(minifyPython("y = 'it\\'s , x' + z\n"), "y='it\\'s , x'+z\n");
  assert.ok(!helperSource('core').includes('#'));
});

test('the board digest equals the host digest, with and without hashlib', () => {
  for (const data of [new Uint8Array(0), new Uint8Array(randomBytes(3000)), new Uint8Array([3])]) {
    put('/t/d.bin', data);
    assert.equal(parsePyRepr(py.run("_mpy.r(_mpy.dg('/t/d.bin'))")), sha256Hex(data));
    const adler = py.run("H=_mpy.H\n_mpy.H=None\n_mpy.r(_mpy.dg('/t/d.bin'))\n_mpy.H=H");
    assert.equal(parsePyRepr(adler), adlerDigest(data));
  }
});

test('ls, st and tree describe files and folders; tree skips temp files', () => {
  py.run("_mpy.mkd('/t/a/b/c', True)");
  put('/t/a/x.py', new TextEncoder().encode('print(1)\n'));
  put('/t/a/b/.y.py.mpy-tmp', new Uint8Array(3));
  const rows = parsePyRepr(py.run("_mpy.r(_mpy.ls('/t/a'))")) as unknown[][];
  const byName = Object.fromEntries(rows.map((r) => [r[0], r.slice(1, 3)]));
  assert.deepEqual(byName, { b: ['d', byName.b![1]], 'x.py': ['f', 9] });
  assert.equal(parsePyRepr(py.run("_mpy.r(_mpy.st('/t/nope'))")), null);
  const tree = parsePyReprLines(py.run("_mpy.tree('/t/a')"));
  assert.deepEqual(tree, [['/t/a/x.py', 9, sha256Hex(new TextEncoder().encode('print(1)\n'))]]);
  py.run("_mpy.rmt('/t/a')");
  assert.equal(parsePyRepr(py.run("_mpy.r(_mpy.st('/t/a'))")), null);
});

test('ok commits a verified temp file over the target and removes stray temp files', () => {
  put('/t/m.py', new TextEncoder().encode('old'));
  put('/t/.other.mpy-tmp', new Uint8Array(1));
  put('/t/.m.py.mpy-tmp', new TextEncoder().encode('new'));
  const bad = py.run("_mpy.r(_mpy.ok('/t/.m.py.mpy-tmp', '/t/m.py', 'ff'))");
  assert.equal(parsePyRepr(bad), false);
  assert.equal(read('/t/m.py').toString(), 'old');
  put('/t/.m.py.mpy-tmp', new TextEncoder().encode('new'));
  const digest = sha256Hex(new TextEncoder().encode('new'));
  assert.equal(
    parsePyRepr(py.run(`_mpy.r(_mpy.ok('/t/.m.py.mpy-tmp', '/t/m.py', '${digest}'))`)),
    true,
  );
  assert.equal(read('/t/m.py').toString(), 'new');
  assert.deepEqual(parsePyRepr(py.run("_mpy.r(sorted(os.listdir('/t')))")), ['d.bin', 'm.py']);
});

test('patch rebuilds the file from copy ranges and inserts, or leaves it alone', () => {
  const base = new TextEncoder().encode('line one\nline two\nline three\n');
  put('/t/p.py', base);
  const ops = [
    { at: 5, deleteCount: 3, insert: new TextEncoder().encode('ONE') },
    { at: 18, deleteCount: 0, insert: new TextEncoder().encode('inserted\n') },
  ];
  const expected = new TextEncoder().encode('line ONE\nline two\ninserted\nline three\n');
  const call = (bd: string, ed: string) =>
    parsePyRepr(
      py.run(
        `_mpy.r(_mpy.patch('/t/p.py','/t/.p.py.mpy-tmp',${pyValue(bd)},${pyValue(patchSegments(ops))},${pyValue(ed)}))`,
      ),
    );
  assert.equal(call('0'.repeat(64), sha256Hex(expected)), false);
  assert.equal(call(sha256Hex(base), '0'.repeat(64)), false);
  assert.deepEqual(read('/t/p.py'), Buffer.from(base));
  assert.equal(call(sha256Hex(base), sha256Hex(expected)), true);
  assert.deepEqual(read('/t/p.py'), Buffer.from(expected));
});

test('a text upload in small execs rebuilds binary data exactly (bytes literals and base64)', () => {
  const data = new Uint8Array(randomBytes(1000));
  for (const base64 of [false, true]) {
    for (const code of textUploadCode('/t/.u.bin.mpy-tmp', data, 256, base64)) py.run(code);
    const out = py.run(`_mpyc.c('/t/u.bin', '${sha256Hex(data)}')`);
    assert.equal(parsePyRepr(out), true);
    assert.deepEqual(read('/t/u.bin'), Buffer.from(data));
    const hex = py.run("_mpyc.g('/t/u.bin', 48)");
    assert.equal(hex.split('\n').length > 10, true);
  }
});

test('on FAT (no rename over a file) the target is replaced; other rename failures keep it', () => {
  py.run(
    'import os\n_r=os.rename\ndef _fat(a,b):\n try:\n  os.stat(b)\n except OSError:\n  return _r(a,b)\n raise OSError(17)\nos.rename=_fat',
  );
  try {
    put('/t/fat.py', new TextEncoder().encode('old'));
    put('/t/.fat.py.mpy-tmp', new TextEncoder().encode('new'));
    const digest = sha256Hex(new TextEncoder().encode('new'));
    const out = py.run(`_mpy.r(_mpy.ok('/t/.fat.py.mpy-tmp', '/t/fat.py', '${digest}'))`);
    assert.equal(parsePyRepr(out), true);
    assert.equal(read('/t/fat.py').toString(), 'new');
    py.run('def _bad(a,b):\n raise OSError(2)\nos.rename=_bad');
    put('/t/.fat.py.mpy-tmp', new TextEncoder().encode('newer'));
    const newer = sha256Hex(new TextEncoder().encode('newer'));
    assert.throws(() => py.run(`_mpy.ok('/t/.fat.py.mpy-tmp', '/t/fat.py', '${newer}')`));
    assert.equal(read('/t/fat.py').toString(), 'new');
  } finally {
    py.run('os.rename=_r');
  }
});
