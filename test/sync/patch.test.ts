// test/sync/patch.test.ts: the patch builder round-trips (applying its ops to the old bytes gives
// the new bytes) on examples and random edits, and keeps one-line edits small.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileToMpy } from '../../src/compile/mpy-cross.js';
import { applyPatch, buildBinaryPatch, buildPatch, decodeText } from '../../src/sync/patch.js';

const enc = new TextEncoder();

function roundTrip(before: string, after: string): void {
  const a = enc.encode(before);
  const b = enc.encode(after);
  const ops = buildPatch(a, b);
  assert.ok(ops, 'text gives a patch');
  assert.deepEqual(applyPatch(a, ops), b);
  // Sorted and non-overlapping, offsets in the old bytes.
  let end = 0;
  for (const op of ops) {
    assert.ok(op.at >= end);
    end = op.at + op.deleteCount;
  }
  assert.ok(end <= a.length);
}

test('a one-character edit in a big file is one tiny op', () => {
  const lines = Array.from({ length: 900 }, (_, i) => `value_${i} = ${i * 7}  # line ${i}\n`);
  const before = lines.join('');
  lines[450] = lines[450]!.replace('= 3150', '= 3151');
  const after = lines.join('');
  const ops = buildPatch(enc.encode(before), enc.encode(after))!;
  assert.equal(ops.length, 1);
  assert.equal(ops[0]!.deleteCount, 1);
  assert.deepEqual(ops[0]!.insert, enc.encode('1'));
  assert.equal(ops[0]!.at, before.indexOf('= 3150') + 5);
  roundTrip(before, after);
});

test('offsets are byte offsets, not UTF-16 indices', () => {
  const before = 'héllo wörld ✓\nsecond 🐍 line\nthird\n';
  const after = 'héllo wörld ✓\nsecond 🐍 LINE\nthird\n';
  const ops = buildPatch(enc.encode(before), enc.encode(after))!;
  assert.equal(ops.length, 1);
  assert.equal(ops[0]!.at, enc.encode('héllo wörld ✓\nsecond 🐍 ').length);
  roundTrip(before, after);
});

test('append, prepend, delete all, from empty, CRLF, no final newline', () => {
  roundTrip('a\nb\n', 'a\nb\nc\n');
  roundTrip('a\nb\n', 'z\na\nb\n');
  roundTrip('a\nb\n', '');
  roundTrip('', 'new\nfile');
  roundTrip('a\r\nb\r\n', 'a\r\nB\r\n');
  roundTrip('x\ny', 'x\ny\nz');
  assert.deepEqual(buildPatch(enc.encode('same\n'), enc.encode('same\n')), []);
});

test('binary content gets no patch', () => {
  assert.equal(buildPatch(new Uint8Array([1, 0, 2]), enc.encode('x')), undefined);
  assert.equal(buildPatch(enc.encode('x'), new Uint8Array([0xff, 0xfe])), undefined);
  assert.equal(decodeText(new Uint8Array([0xc3])), undefined);
  assert.equal(decodeText(enc.encode('ok ✓')), 'ok ✓');
});

test('property: applying the ops to the old bytes gives the new bytes', () => {
  const line = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/\0/g, ''));
  const text = fc.array(fc.oneof(line, fc.constantFrom('\n', '\r\n', 'é\n', '🐍')), {
    maxLength: 30,
  });
  fc.assert(
    fc.property(text, text, (a, b) => {
      roundTrip(a.join(''), b.join(''));
    }),
    { numRuns: 400 },
  );
});

test('property: random edits of one text round-trip', () => {
  const base = 'import time\nfrom machine import Pin\n\nled = Pin(2)\nwhile True:\n    led.on()\n';
  const edit = fc.record({
    at: fc.nat(base.length),
    del: fc.nat(20),
    ins: fc.string({ unit: 'grapheme', maxLength: 15 }).map((s) => s.replace(/\0/g, '')),
  });
  fc.assert(
    fc.property(fc.array(edit, { maxLength: 5 }), (edits) => {
      let text = base;
      for (const e of edits) {
        const at = Math.min(e.at, text.length);
        text = text.slice(0, at) + e.ins + text.slice(at + e.del);
      }
      roundTrip(base, text);
    }),
    { numRuns: 300 },
  );
});

/** A module of `count` small functions, compiled: what `--mpy` sends. */
async function compiledModule(lines: string[]): Promise<Uint8Array> {
  return compileToMpy(enc.encode(lines.join('\n')), { sourceName: '/m.py', shownName: 'm.py' });
}

test('one-line edits of a compiled module are a few small binary ops that round-trip', async () => {
  const lines = Array.from({ length: 200 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`);
  const before = await compiledModule(lines);
  const edits: [string, (l: string[]) => void][] = [
    ['a constant', (l) => (l[100] = 'def f100(x):\n    return x + 1000\n')],
    ['a new name', (l) => (l[100] = 'def f100(x):\n    return x + brand_new\n')],
    // every later function's line numbers move (hundreds of spots: sent whole), so: the last
    ['a line added', (l) => (l[199] = 'def f199(x):\n    y = 5\n    return x + y\n')],
  ];
  for (const [what, edit] of edits) {
    const changed = [...lines];
    edit(changed);
    const after = await compiledModule(changed);
    const ops = buildBinaryPatch(before, after);
    assert.ok(ops, `${what}: patched`);
    assert.deepEqual(applyPatch(before, ops), after, what);
    const inserted = ops.reduce((n, op) => n + op.insert.length, 0);
    assert.ok(inserted < after.length / 8, `${what}: ${inserted} of ${after.length} B inserted`);
  }
});

test('a binary patch that would not pay, or a big file, is undefined (sent whole)', () => {
  assert.equal(buildBinaryPatch(randomBytes(4000), randomBytes(4000)), undefined);
  const big = new Uint8Array(70 * 1024);
  const bigger = Uint8Array.from(big);
  bigger[5] = 1;
  assert.equal(buildBinaryPatch(big, bigger), undefined);
  const small = Uint8Array.from(randomBytes(4000));
  small[2000] = 0;
  const edited = Uint8Array.from(small);
  edited[2000] = 9;
  assert.deepEqual(buildBinaryPatch(small, edited), [
    { at: 2000, deleteCount: 1, insert: Uint8Array.of(9) },
  ]);
});
