// test/repl/literal.test.ts: the host-side parser of Python reprs, including tricky strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiteralSyntaxError, parsePythonLiteral } from '../../src/repl/literal.js';

test('scalars', () => {
  assert.equal(parsePythonLiteral('None'), null);
  assert.equal(parsePythonLiteral('True'), true);
  assert.equal(parsePythonLiteral('False'), false);
  assert.equal(parsePythonLiteral('-42'), -42);
  assert.equal(parsePythonLiteral('2.5e-3'), 0.0025);
  assert.equal(parsePythonLiteral('inf'), Number.POSITIVE_INFINITY);
  assert.equal(parsePythonLiteral('-inf'), Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(parsePythonLiteral('nan')));
  assert.equal(
    parsePythonLiteral('123456789012345678901234567890'),
    123456789012345678901234567890n,
  );
  assert.equal(parsePythonLiteral(' 7\r\n'), 7);
});

test('strings with quotes, escapes and non-ASCII text', () => {
  assert.equal(parsePythonLiteral(`'it"s'`), 'it"s');
  assert.equal(parsePythonLiteral(`"it's"`), "it's");
  assert.equal(parsePythonLiteral(`'a\\'b\\\\c'`), "a'b\\c");
  assert.equal(parsePythonLiteral(`'\\n\\r\\t\\x00\\x7f'`), '\n\r\t\x00\x7f');
  assert.equal(parsePythonLiteral(`'caf\u00e9 \u2603 \u{1f600}'`), 'caf\u00e9 \u2603 \u{1f600}');
  assert.equal(parsePythonLiteral(`'\\u2603\\U0001f600'`), '\u2603\u{1f600}');
  assert.equal(parsePythonLiteral(`'[1, 2]'`), '[1, 2]', 'brackets inside a string stay text');
  assert.equal(parsePythonLiteral(`''`), '');
});

test('bytes', () => {
  assert.deepEqual(parsePythonLiteral(`b'\\x00\\xffA\\n\\''`), Uint8Array.of(0, 255, 65, 10, 39));
  assert.deepEqual(parsePythonLiteral(`b""`), new Uint8Array(0));
});

test('containers', () => {
  assert.deepEqual(parsePythonLiteral('[1, [2, (3,)], ()]'), [1, [2, [3]], []]);
  assert.deepEqual(parsePythonLiteral("{'a': 1, 'b': {'c': None}}"), { a: 1, b: { c: null } });
  assert.deepEqual(parsePythonLiteral('{}'), {});
  assert.deepEqual(parsePythonLiteral('{1: 2}'), new Map([[1, 2]]));
  assert.deepEqual(parsePythonLiteral('{1, 2}'), new Set([1, 2]));
  assert.deepEqual(parsePythonLiteral('set()'), new Set());
  const proto = parsePythonLiteral("{'__proto__': 1}") as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(proto), Object.prototype, '__proto__ stays a plain key');
  assert.equal(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value, 1);
});

test('anything else is refused, never evaluated', () => {
  for (const bad of ['<function f at 0x1>', 'os.remove("x")', "'open", '[1,', '1 2', '']) {
    assert.throws(() => parsePythonLiteral(bad), LiteralSyntaxError, bad);
  }
});
