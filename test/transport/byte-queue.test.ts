// test/transport/byte-queue.test.ts: the reader's byte FIFO behaves like a plain array under any
// mix of pushes, takes and put-backs (property test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteQueue } from '../../src/transport/byte-queue.js';

type Op = { push: Uint8Array } | { take: number } | { unshift: Uint8Array };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ push: fc.uint8Array({ maxLength: 5000 }) }),
  fc.record({ take: fc.nat(6000) }),
  fc.record({ unshift: fc.uint8Array({ maxLength: 300 }) }),
);

test('ByteQueue matches an array model', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const queue = new ByteQueue();
      let model: number[] = [];
      for (const step of ops) {
        if ('push' in step) {
          queue.push(step.push);
          model.push(...step.push);
        } else if ('unshift' in step) {
          queue.unshift(step.unshift);
          model = [...step.unshift, ...model];
        } else {
          const got = queue.take(step.take);
          assert.deepEqual([...got], model.slice(0, step.take));
          model = model.slice(step.take);
        }
        assert.equal(queue.length, model.length);
      }
      assert.deepEqual([...queue.bytes], model);
    }),
    { numRuns: 200 },
  );
});
