// test/repl/protocol.test.ts: tracebacks become BoardErrors with the right type and value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeBytes, parseBoardError } from '../../src/repl/protocol.js';

const frame = (last: string) =>
  `Traceback (most recent call last):\r\n  File "<stdin>", line 3, in <module>\r\n  File "<stdin>", line 2, in f\r\n${last}\r\n`;

test('type and value from the last line of a traceback', () => {
  const error = parseBoardError(frame('OSError: [Errno 2] ENOENT'));
  assert.equal(error.type, 'OSError');
  assert.equal(error.value, '[Errno 2] ENOENT');
  assert.equal(error.errno, 2);
});

test('an exception without a message, and a message over several lines', () => {
  assert.equal(parseBoardError(frame('KeyboardInterrupt: ')).type, 'KeyboardInterrupt');
  assert.equal(parseBoardError(frame('KeyboardInterrupt')).value, '');
  const multi = parseBoardError(frame('ValueError: first\r\nsecond'));
  assert.equal(multi.value, 'first\nsecond');
  assert.equal(parseBoardError(frame('OSError: 28')).errno, 28);
});

test('text that is not a traceback is kept whole', () => {
  const error = parseBoardError('something went wrong\r\n');
  assert.equal(error.type, 'Error');
  assert.equal(error.value, 'something went wrong');
});

test('control bytes are shown escaped', () => {
  assert.equal(describeBytes(Uint8Array.of(0x41, 0x04, 0x0d)), 'A\\x04\\x0d');
});
