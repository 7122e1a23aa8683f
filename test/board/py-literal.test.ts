// test/board/py-literal.test.ts: every string and byte string survives the encoder into real
// MicroPython unchanged, and no name can end its literal and run code.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { pyBytes, pyStr, pyValue } from '../../src/board/py-literal.js';
import { UsageError } from '../../src/errors.js';
import { loadWasmPython, type WasmPython } from './wasm-python.js';

let py: WasmPython;
before(async () => {
  py = await loadWasmPython();
  py.run('import binascii');
});

/** The UTF-8 bytes of the Python value of `literal`, as hex, computed by MicroPython. */
function boardHex(literal: string): string {
  return py.run(`print(binascii.hexlify(${literal}.encode()).decode())`).trim();
}

const tricky = fc.constantFrom(
  "'",
  '"',
  '\\',
  '\n',
  '\r',
  '\0',
  '"""',
  "'''",
  '\\x41',
  '\u00e9',
  '\u2603',
  '\u{1f600}',
  '#',
  '\t',
);
const names = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(fc.oneof(tricky, fc.string({ unit: 'grapheme' })), { maxLength: 8 })
    .map((parts) => parts.join('')),
);

test('pyStr is ASCII-only and round-trips any string through MicroPython', () => {
  fc.assert(
    fc.property(names, (s) => {
      const literal = pyStr(s);
      assert.match(literal, /^[\x20-\x7e]*$/);
      assert.equal(boardHex(literal), Buffer.from(s, 'utf8').toString('hex'));
    }),
    { numRuns: 300 },
  );
});

test('a name that tries to close its literal stays data', () => {
  py.run("f = open('/main.py', 'w'); f.write('x'); f.close(); import os");
  const evil = "x'); import os; os.remove('/main.py'); ('";
  const out = py.run(`print(repr(${pyStr(evil)}))\nprint(os.stat('/main.py')[6])`);
  assert.equal(out, `${JSON.stringify(evil).replace(/^"|"$/g, '"')}\n1\n`);
  assert.equal(py.run(`print(${pyStr(evil)} == ${JSON.stringify(evil)})`), 'True\n');
});

test('pyStr refuses a lone surrogate', () => {
  assert.throws(() => pyStr('a\ud800b'), UsageError);
});

test('pyBytes round-trips every byte value', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const out = py.run(`print(binascii.hexlify(${pyBytes(all)}).decode())`).trim();
  assert.equal(out, Buffer.from(all).toString('hex'));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
      const hex = py.run(`print(binascii.hexlify(${pyBytes(data)}).decode())`).trim();
      assert.equal(hex, Buffer.from(data).toString('hex'));
    }),
  );
});

test('pyValue encodes nested values as Python literals', () => {
  const literal = pyValue({ a: [1, 'b', true, null], c: [new Uint8Array([0, 39])] });
  assert.equal(literal, "{'a':(1,'b',True,None),'c':(b'\\x00\\'',)}");
  const out = py.run(`print(repr(${literal}))`).trim();
  assert.equal(out, "{'a': (1, 'b', True, None), 'c': (b\"\\x00'\",)}");
  assert.throws(() => pyValue(1.5), TypeError);
});
