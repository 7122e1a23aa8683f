// test/board/helper-python.test.ts: the board helper (src/board/py, minified as it is sent) run
// in bare MicroPython: digests match the host's, patches and text uploads rebuild files exactly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { adlerDigest, sha256Hex } from '../../src/board/digest.js';
import { patchSegments } from '../../src/board/patch-segments.js';
import { pyStr, pyValue } from '../../src/board/py-literal.js';
import { parsePyRepr, parsePyReprLines } from '../../src/board/py-repr.js';
import { helperSource, withNeeds } from '../../src/board/py-source.js';
import { decodeTextLines, textUploadCode } from '../../src/board/transfer.js';
import { minifyPython } from '../../src/repl/python.js';
import { loadWasmPython, type WasmPython } from './wasm-python.js';

let py: WasmPython;
before(async () => {
  py = await loadWasmPython();
  for (const part of withNeeds([
    'reuse',
    'ls',
    'tree',
    'rm',
    'dirs',
    'df',
    'mvu',
    'patch',
    'tput',
    'tget',
  ])) {
    py.run(helperSource(part));
  }
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
  const dga = helperSource('dga').replace('_mpy.dg=_dg', '_mpy.dga=_dg');
  py.run(dga);
  for (const data of [new Uint8Array(0), new Uint8Array(randomBytes(3000)), new Uint8Array([3])]) {
    put('/t/d.bin', data);
    assert.equal(parsePyRepr(py.run("_mpy.r(_mpy.dg('/t/d.bin'))")), sha256Hex(data));
    const adler = py.run("H=_mpy.H\n_mpy.H=None\n_mpy.r(_mpy.dg('/t/d.bin'))\n_mpy.H=H");
    assert.equal(parsePyRepr(adler), adlerDigest(data));
    assert.equal(parsePyRepr(py.run("_mpy.r(_mpy.dga('/t/d.bin'))")), adlerDigest(data));
  }
});

test('ls, st and tree describe files and folders; both skip temp files', () => {
  py.run("_mpy.mkd('/t/a/b/c', True)");
  put('/t/a/x.py', new TextEncoder().encode('print(1)\n'));
  put('/t/a/b/.y.py.mpy-tmp', new Uint8Array(3));
  put('/t/a/.x.py.mpy-old', new Uint8Array(3));
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
  // a mismatch answers with the board's own digest, so the host can tell which kind it computes
  assert.equal(parsePyRepr(bad), sha256Hex(new TextEncoder().encode('new')));
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
        `_mpy.r(_mpy.pt('/t/p.py',${pyValue(bd)},${pyValue(patchSegments(ops))},${pyValue(ed)}))`,
      ),
    );
  assert.equal(call('0'.repeat(16), sha256Hex(expected).slice(0, 16)), false);
  assert.equal(typeof call(sha256Hex(base).slice(0, 16), '0'.repeat(16)), 'string');
  assert.deepEqual(read('/t/p.py'), Buffer.from(base));
  assert.equal(call(sha256Hex(base).slice(0, 16), sha256Hex(expected).slice(0, 16)), true);
  assert.deepEqual(read('/t/p.py'), Buffer.from(expected));
  // a file that cannot seek (micro:bit) is read forwards only
  py.run(
    "_o=open\nclass _F:\n def __init__(s,f):s.f=f\n def read(s,n=-1):return s.f.read(n)\n def write(s,d):return s.f.write(d)\n def close(s):s.f.close()\nopen=lambda p,m='r':_F(_o(p,m))",
  );
  try {
    const again = [{ at: 0, deleteCount: 4, insert: new TextEncoder().encode('LINE') }];
    const out = new TextEncoder().encode('LINE ONE\nline two\ninserted\nline three\n');
    const code = `_mpy.r(_mpy.pt('/t/p.py',${pyValue(sha256Hex(expected))},${pyValue(patchSegments(again))},${pyValue(sha256Hex(out))}))`;
    assert.equal(parsePyRepr(py.run(code)), true);
    assert.deepEqual(read('/t/p.py'), Buffer.from(out));
  } finally {
    py.run('open=_o');
  }
});

test('a text upload in small execs rebuilds binary data exactly (bytes literals and base64)', () => {
  const data = new Uint8Array(randomBytes(1000));
  for (const base64 of [false, true]) {
    for (const { code } of textUploadCode('/t/.u.bin.mpy-tmp', data, 256, base64)) py.run(code);
    const out = py.run(`_mpyc.c('/t/u.bin', '${sha256Hex(data)}')`);
    assert.equal(parsePyRepr(out), true);
    assert.deepEqual(read('/t/u.bin'), Buffer.from(data));
  }
  // downloads: base64 lines where the board has binascii (this one has)
  // (the first line is the size, for progress)
  const withSize = (out: string) => {
    const [size, ...rest] = out.split('\n');
    assert.equal(size, String(data.length));
    return rest.join('\n');
  };
  const lines = withSize(py.run("_mpy.tg('/t/u.bin', 48)"));
  assert.ok(lines.split('\n').length > 10);
  assert.deepEqual(decodeTextLines(lines, true), data);
  // without binascii (micro:bit): a bytes repr a line, or hex where that is shorter
  py.run(
    "import builtins\n_i=builtins.__import__\ndef _ni(n,*a):\n if n=='binascii':raise ImportError\n return _i(n,*a)\nbuiltins.__import__=_ni",
  );
  try {
    const hex = withSize(py.run("_mpy.tg('/t/u.bin', 48)"));
    assert.match(hex.split('\n')[0]!, /^[0-9a-f]{96}$/);
    assert.deepEqual(decodeTextLines(hex, false), data);
    put('/t/text.py', new TextEncoder().encode('print("hi")\n'.repeat(20)));
    const text = py.run("_mpy.tg('/t/text.py', 48)").split('\n').slice(1).join('\n');
    assert.ok(text.startsWith("b'print"), text);
    assert.equal(Buffer.from(decodeTextLines(text, false)).toString(), 'print("hi")\n'.repeat(20));
  } finally {
    py.run('builtins.__import__=_i');
  }
});

test('on FAT (no rename over a file) the target is replaced; other rename failures keep it', () => {
  const _r_old = () => py.run("_r('/t/fat.py','/t/.fat.py.mpy-old')");
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
    // a power cut between moving the old file aside and the new one in: the next write into
    // the folder puts the old one back (the target is never missing for long)
    _r_old();
    put('/t/.fat.py.mpy-tmp', new TextEncoder().encode('half'));
    py.run("_mpy.clean('/t')");
    assert.equal(read('/t/fat.py').toString(), 'new');
    assert.deepEqual(parsePyRepr(py.run("_mpy.r([n for n in os.listdir('/t') if 'fat' in n])")), [
      'fat.py',
    ]);
    py.run('def _bad(a,b):\n raise OSError(2)\nos.rename=_bad');
    put('/t/.fat.py.mpy-tmp', new TextEncoder().encode('newer'));
    const newer = sha256Hex(new TextEncoder().encode('newer'));
    assert.throws(() => py.run(`_mpy.ok('/t/.fat.py.mpy-tmp', '/t/fat.py', '${newer}')`));
    assert.equal(read('/t/fat.py').toString(), 'new');
  } finally {
    py.run('os.rename=_r');
  }
});

test('on FAT (case-blind names) a new file appears only whole, and a cut commit is finished', () => {
  const names = () => parsePyRepr(py.run("_mpy.r(sorted(os.listdir('/t/q')))"));
  const digest = (text: string) => sha256Hex(new TextEncoder().encode(text));
  py.run('import os\nos.mkdir("/t/q")');
  py.run(
    "_s=os.stat\ndef _ci(p):\n try:\n  return _s(p)\n except OSError:\n  i=p.rfind('/')+1\n  if p[i:].lower()==p[i:]:\n   raise\n  return _s(p[:i]+p[i:].lower())\nos.stat=_ci",
  );
  try {
    // the temp file is all there is while the upload runs: no empty n.bin for anyone to see
    put('/t/q/.n.bin.mpy-tmp', new TextEncoder().encode('data'));
    assert.deepEqual(names(), ['.n.bin.mpy-tmp']);
    // the commit goes by way of .n.bin.mpy-new (the entry order a direct write gives)
    py.run('_r=os.rename\n_R=[]\ndef _log(a,b):\n _R.append(b)\n return _r(a,b)\nos.rename=_log');
    try {
      const out = py.run(
        `_mpy.r(_mpy.ok('/t/q/.n.bin.mpy-tmp', '/t/q/n.bin', '${digest('data')}'))`,
      );
      assert.equal(parsePyRepr(out), true);
      assert.deepEqual(parsePyRepr(py.run('_mpy.r(_R)')), ['/t/q/.n.bin.mpy-new', '/t/q/n.bin']);
    } finally {
      py.run('os.rename=_r');
    }
    assert.deepEqual(names(), ['n.bin']);
    assert.equal(read('/t/q/n.bin').toString(), 'data');
    // a power cut between the two renames: the sweep finishes the commit
    put('/t/q/.m.bin.mpy-new', new TextEncoder().encode('whole'));
    py.run("_mpy.clean('/t/q')");
    assert.deepEqual(names(), ['m.bin', 'n.bin']);
    assert.equal(read('/t/q/m.bin').toString(), 'whole');
    // an upload cut short leaves its temp file, which the sweep removes
    put('/t/q/.h.bin.mpy-tmp', new TextEncoder().encode('ha'));
    py.run("_mpy.clean('/t/q')");
    assert.deepEqual(names(), ['m.bin', 'n.bin']);
    // what mpy before 2026-12 left: an empty stand-in beside its cut .mpy-new; both go, but
    // not a file of that name just committed
    put('/t/q/e.bin', new Uint8Array(0));
    put('/t/q/.e.bin.mpy-new', new TextEncoder().encode('da'));
    const listed = parsePyRepr(py.run("_mpy.r(_mpy.ls('/t/q'))")) as unknown[][];
    assert.deepEqual(listed.map((row) => row[0]).sort(), ['m.bin', 'n.bin']);
    py.run("_mpy.clean('/t/q', '/t/q/e.bin')");
    assert.deepEqual(names(), ['e.bin', 'm.bin', 'n.bin']);
    put('/t/q/.e.bin.mpy-new', new TextEncoder().encode('da'));
    py.run("_mpy.clean('/t/q')");
    assert.deepEqual(names(), ['m.bin', 'n.bin']);
  } finally {
    py.run('os.stat=_s');
  }
});

test('without os.rename (micro:bit) a verified temp file is copied over the target', () => {
  py.run(`import os\n_r=os.rename\ndel os.rename\n${helperSource('mvc')}`);
  try {
    put('/t/c.py', new TextEncoder().encode('old'));
    put('/t/.c.py.mpy-tmp', new TextEncoder().encode('copied'));
    const digest = sha256Hex(new TextEncoder().encode('copied'));
    assert.equal(
      parsePyRepr(py.run(`_mpy.r(_mpy.ok('/t/.c.py.mpy-tmp','/t/c.py','${digest}'))`)),
      2,
    );
    assert.equal(read('/t/c.py').toString(), 'copied');
    assert.equal(parsePyRepr(py.run("_mpy.r(_mpy.st('/t/.c.py.mpy-tmp'))")), null);
    py.run("_mpy.mvu('/t/c.py','/t/d.py')");
    assert.equal(read('/t/d.py').toString(), 'copied');
    assert.equal(parsePyRepr(py.run("_mpy.r(_mpy.st('/t/c.py'))")), null);
  } finally {
    py.run(`os.rename=_r\n${helperSource('mvr')}`);
  }
});
