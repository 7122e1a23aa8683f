// test/many/output.test.ts: each board's output as whole tagged lines however it is chunked, and
// the table after a run on many boards.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { resultTable } from '../../src/many/table.js';
import { TaggedLines } from '../../src/many/tagged-output.js';

test('lines are tagged whole, \\r\\n becomes \\n, a last partial line is flushed', () => {
  const chunks: string[] = [];
  const target = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const tagged = new TaggedLines(target, 'a0');
  tagged.write('hel');
  tagged.write(Buffer.from('lo\r\nwor'));
  tagged.write('ld\n\nend');
  assert.deepEqual(chunks, ['a0\thello\n', 'a0\tworld\n', 'a0\t\n']);
  tagged.flushLine();
  assert.deepEqual(chunks.at(-1), 'a0\tend\n');
  tagged.flushLine();
  assert.equal(chunks.length, 4);
});

test('the table: ok or the error with its exit code, bytes sent, time, and a count', () => {
  const lines = resultTable([
    { name: 'a0', device: '/dev/ttyACM0', code: 0, bytesSent: 45_300, ms: 1234 },
    {
      name: 'a1',
      device: '/dev/ttyACM1',
      code: 2,
      error: 'the board relay has ended',
      bytesSent: 812,
      ms: 420,
    },
  ]);
  assert.deepEqual(lines, [
    'board  result                                 sent    time',
    'a0     ok                                  44.2 KB   1.2 s',
    'a1     the board relay has ended (exit 2)    812 B  420 ms',
    '1 of 2 boards ok',
  ]);
});
