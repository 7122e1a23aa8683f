// test/errors.test.ts: the error hierarchy carries what the CLI needs (type, errno, exit code).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoardError, TimeoutError, TransportError, UsageError } from '../src/errors.js';

test('BoardError parses the errno of an OSError', () => {
  const error = new BoardError('OSError', '[Errno 2] ENOENT', 'Traceback ...');
  assert.equal(error.errno, 2);
  assert.equal(error.message, 'OSError: [Errno 2] ENOENT');
  assert.equal(error.exitCode, 1);
});

test('each error class has its own exit code', () => {
  const codes = [new UsageError('x'), new TransportError('x'), new TimeoutError('x')].map(
    (e) => e.exitCode,
  );
  assert.deepEqual(codes, [64, 2, 3]);
});
