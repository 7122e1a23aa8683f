// test/compile/mpy-cross.test.ts: the mpy-cross wrapper: real compiles (version-6 header, the
// embedded source name), syntax errors as `file:line: message`, no process handlers left behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CompileError,
  compileErrorOf,
  compileToMpy,
  MPY_CROSS_VERSION,
} from '../../src/compile/mpy-cross.js';

const encode = (text: string) => new TextEncoder().encode(text);
const names = { sourceName: '/lib/util.py', shownName: 'src/lib/util.py' };

test('a module compiles to version-6 bytecode naming its board path', async () => {
  const mpy = await compileToMpy(encode('def f(x):\n    return x * 2\n'), names);
  assert.equal(mpy[0], 'M'.charCodeAt(0));
  assert.equal(mpy[1], MPY_CROSS_VERSION);
  // bytecode only: no native arch in the feature byte
  assert.equal(mpy[2]! >> 2, 0);
  assert.ok(Buffer.from(mpy).includes('/lib/util.py'), 'tracebacks on the board name the source');
});

test('the same source is compiled once; another name or content is compiled again', async () => {
  const source = encode('X = 1\n');
  const first = await compileToMpy(source, names);
  assert.equal(await compileToMpy(encode('X = 1\n'), names), first);
  assert.notEqual(await compileToMpy(source, { ...names, sourceName: '/x.py' }), first);
  assert.notEqual(await compileToMpy(encode('X = 2\n'), names), first);
});

test('a syntax error is one line, file:line: message, with the local path', async () => {
  await assert.rejects(
    compileToMpy(encode('x = 1\ndef f(:\n    pass\n'), names),
    (error: unknown) =>
      error instanceof CompileError &&
      error.message === 'src/lib/util.py:2: SyntaxError: invalid syntax' &&
      error.line === 2,
  );
  await assert.rejects(
    compileToMpy(encode('x = 1\n  y = 2\n'), names),
    /^CompileError: src\/lib\/util.py:2: IndentationError: unexpected indent$/,
  );
  await assert.rejects(
    compileToMpy(encode('return 5\n'), names),
    /^CompileError: src\/lib\/util.py:1: SyntaxError: 'return' outside function$/,
  );
});

test('compiling leaves no process-wide handlers behind (Emscripten adds two per run)', async () => {
  const before = [
    process.listenerCount('uncaughtException'),
    process.listenerCount('unhandledRejection'),
  ];
  for (let i = 0; i < 12; i++) await compileToMpy(encode(`V = ${i}  # no cache hit\n`), names);
  await compileToMpy(encode('(\n'), names).catch(() => undefined);
  assert.deepEqual(
    [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')],
    before,
  );
});

test('the error line is read from the traceback mpy-cross prints', () => {
  const error = compileErrorOf('a.py', [
    'Traceback (most recent call last):',
    '  File "input.py", line 7, in <module>',
    "SyntaxError: 'break' outside loop",
  ]);
  assert.equal(error.message, "a.py:7: SyntaxError: 'break' outside loop");
  assert.equal(compileErrorOf('a.py', ['MemoryError']).message, 'a.py: MemoryError');
});
