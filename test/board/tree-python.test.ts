// test/board/tree-python.test.ts: the board side of a tree upload (py/tree-compare.py,
// py/tree-write.py, minified as sent) in bare MicroPython, fed what src/board/tree-upload.ts
// encodes: folders made, files told apart by size and digest, the stream written to temp names,
// verified and committed, every stdin byte taken whatever fails, Ctrl-C windows refused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { sha256Hex } from '../../src/board/digest.js';
import { tempPathFor } from '../../src/board/paths.js';
import { pyStr, pyValue } from '../../src/board/py-literal.js';
import { parsePyRepr } from '../../src/board/py-repr.js';
import { helperSource, withNeeds } from '../../src/board/py-source.js';
import {
  compareCall,
  encodeStream,
  streamCall,
  type TreeFile,
} from '../../src/board/tree-upload.js';
import { loadWasmPython, type WasmPython } from './wasm-python.js';

let py: WasmPython;
before(async () => {
  py = await loadWasmPython();
  for (const part of withNeeds(['tree-write'])) py.run(helperSource(part));
  py.run("import os\nos.mkdir('/w')");
});

const text = (s: string) => new TextEncoder().encode(s);

function file(wire: string, content: string | Uint8Array, digest?: string): TreeFile {
  const data = typeof content === 'string' ? text(content) : content;
  return { path: wire, wire, data, digest: digest ?? sha256Hex(data) };
}

function put(path: string, data: Uint8Array): void {
  py.run(`f=open(${pyStr(path)},'wb');f.write(${pyValue(data)});f.close()`);
}

function read(path: string): Buffer {
  const hex = py.run(
    `import binascii;f=open(${pyStr(path)},'rb');print(binascii.hexlify(f.read()).decode());f.close()`,
  );
  return Buffer.from(hex.trim(), 'hex');
}

function names(folder: string): string[] {
  return parsePyRepr(py.run(`_mpy.r(sorted(os.listdir(${pyStr(folder)})))`)) as string[];
}

/** Run `tw` with `stdin` as the board's stdin; what it printed and wrote to stdout.buffer. */
function runWrite(call: string, stdin: Uint8Array): { printed: string; written: Buffer } {
  py.run(
    `import io\nclass _S:\n pass\n_f=_S()\n_f.stdin=_S()\n_f.stdout=_S()\n_f.stdin.buffer=io.BytesIO(${pyValue(stdin)})\n_f.stdout.buffer=io.BytesIO()\n_sys=sys\nsys=_f`,
  );
  try {
    const printed = py.run(call);
    return { printed, written: written() };
  } finally {
    py.run('sys=_sys');
  }
}

function written(): Buffer {
  return Buffer.from(py.run('print(_f.stdout.buffer.getvalue().hex())').trim(), 'hex');
}

/** stdin left unread after the last run. */
function leftover(): number {
  return Number(py.run('print(len(_f.stdin.buffer.read()))').trim());
}

const SYNC = Uint8Array.of(0x0a);

function streamOf(files: TreeFile[], window = 128) {
  const stream = encodeStream(files, 10);
  const call = streamCall(stream, window)!;
  return { stream, call, stdin: new Uint8Array(Buffer.concat([SYNC, stream.wire])) };
}

test('the compare makes missing folders and tells held files from the rest', () => {
  put('/w/same.py', text('same\n'));
  put('/w/edited.py', text('edit\n'));
  put('/w/longer.py', text('short\n'));
  const files = [
    file('/w/same.py', 'same\n'),
    file('/w/edited.py', 'EDIT\n'),
    file('/w/longer.py', 'much longer\n'),
    file('/w/new/deep/x.py', 'new\n'),
  ];
  const out = py.run(compareCall(['/w/new', '/w/new/deep', '/w/empty'], files, false));
  assert.equal(parsePyRepr(out), '0111');
  assert.deepEqual(names('/w'), ['edited.py', 'empty', 'longer.py', 'new', 'same.py']);
  assert.deepEqual(names('/w/new'), ['deep']);
  // forced: every file goes, none is read
  assert.equal(parsePyRepr(py.run(compareCall([], files, true))), '1111');
  // the empty stand-in of a cut upload (mpy before 2026-12 made one) is no file yet
  put('/w/stand.py', new Uint8Array(0));
  put('/w/.stand.py.mpy-new', text('half'));
  assert.equal(parsePyRepr(py.run(compareCall([], [file('/w/stand.py', '')], false))), '1');
});

test('a folder where a file goes, or a file where a folder goes, is refused', () => {
  assert.throws(() => py.run(compareCall([], [file('/w/new', 'x')], false)), /OSError: 21|EISDIR/);
  assert.throws(() => py.run(compareCall(['/w/same.py'], [], false)), /OSError: 20|ENOTDIR/);
  assert.equal(read('/w/same.py').toString(), 'same\n');
});

test('the stream writes each file through its temp name, verified, and acknowledges windows', () => {
  const blob = new Uint8Array(randomBytes(3000));
  blob[7] = 3; // Ctrl-C bytes are data in the stream
  const files = [
    file('/w/edited.py', 'EDIT\n'),
    file('/w/new/deep/x.py', 'new\n'),
    file('/w/b.bin', blob),
  ];
  // the temp names are src/board/paths.ts's
  py.run('_mv=_mpy.mv\n_T=[]\ndef _rec(t,p):\n _T.append(t)\n return _mv(t,p)\n_mpy.mv=_rec');
  put('/w/.stray.py.mpy-tmp', text('left by a cut'));
  const { stream, call, stdin } = streamOf(files);
  let run: { printed: string; written: Buffer };
  try {
    run = runWrite(call, stdin);
    assert.deepEqual(
      parsePyRepr(py.run('_mpy.r(_T)')),
      files.map((f) => tempPathFor(f.wire)),
    );
  } finally {
    py.run('_mpy.mv=_mv');
  }
  assert.deepEqual(parsePyRepr(run.printed), [true, true, true]);
  // ready, sync confirmed, then one acknowledgement a full window
  const acks = Math.floor(stream.wire.length / 128);
  assert.deepEqual([...run.written], new Array(2 + acks).fill(1));
  assert.equal(leftover(), 0);
  assert.equal(read('/w/edited.py').toString(), 'EDIT\n');
  assert.equal(read('/w/new/deep/x.py').toString(), 'new\n');
  assert.deepEqual(read('/w/b.bin'), Buffer.from(blob));
  // folders swept before the writes; nothing of the stream's own left behind
  assert.ok(!names('/w').some((n) => n.endsWith('.mpy-tmp')), String(names('/w')));
});

test('a copy that does not match is not committed: its target stays, the others land', () => {
  const files = [file('/w/same.py', 'other\n', 'f'.repeat(64)), file('/w/ok.py', 'ok\n')];
  const { call, stdin } = streamOf(files);
  const results = parsePyRepr(runWrite(call, stdin).printed) as unknown[];
  assert.equal(results[0], sha256Hex(text('other\n')));
  assert.equal(results[1], true);
  assert.equal(read('/w/same.py').toString(), 'same\n');
  assert.equal(read('/w/ok.py').toString(), 'ok\n');
  assert.ok(!names('/w').includes('.same.py.mpy-tmp'));
});

test('a failure takes every stdin byte before it raises, so none reaches the REPL', () => {
  // the folder is missing: the first open fails
  const files = [file('/w/gone/a.py', 'a'.repeat(2000)), file('/w/b.py', 'b')];
  const { call, stdin } = streamOf(files);
  assert.throws(() => runWrite(call, stdin), /OSError/);
  assert.equal(leftover(), 0);
  assert.ok(!names('/w').includes('b.py'));
  // a stdin that ends early: EIO, and the stream's temp file does not stay
  const cut = streamOf([file('/w/c.py', 'c'.repeat(3000)), file('/w/d.py', 'd')]);
  assert.throws(() => runWrite(cut.call, cut.stdin.subarray(0, 40)), /EIO/);
  assert.ok(!names('/w').some((n) => n.startsWith('.c.py')), String(names('/w')));
});

test('a window of nothing but Ctrl-C is a host that gave up: KeyboardInterrupt, nothing written', () => {
  const random = new Uint8Array(randomBytes(1000));
  const { call, stdin } = streamOf([file('/w/e.py', random), file('/w/f.py', 'f')]);
  const interrupted = new Uint8Array(stdin);
  interrupted.fill(3, 1 + 128, 1 + 256);
  // what follows is the host's Ctrl-Cs, for the REPL: not read
  assert.throws(() => runWrite(call, interrupted), /KeyboardInterrupt/);
  assert.ok(!names('/w').some((n) => n.startsWith('.e.py') || n === 'e.py'), String(names('/w')));
});
