// test/sim/uart-rx.test.ts: the receive side drops overruns but lets a late worker catch up.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RxRingWriter, Slot } from '../../src/sim/ring.js';
import { UartReceiver } from '../../src/sim/uart-rx.js';

/** Resolve once `condition` holds (checked every few ms), or fail after `ms`. */
async function until(condition: () => boolean, ms = 1000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function setup(capacity: number) {
  const ring = RxRingWriter.create(capacity);
  const seen: number[] = [];
  let dropped = 0;
  const receiver = new UartReceiver(
    ring,
    (_start, bytes) => seen.push(...bytes),
    (count) => {
      dropped += count;
    },
  );
  /** The board reads everything stored so far. */
  const consume = (): void => {
    Atomics.store(ring.header, Slot.read, Atomics.load(ring.header, Slot.write));
  };
  return { ring, receiver, seen, consume, dropped: () => dropped };
}

describe('UartReceiver', () => {
  it('drops the part of a large burst that does not fit', () => {
    const t = setup(64);
    t.receiver.arrive(new Uint8Array(100).fill(7));
    assert.equal(t.seen.length, 64);
    assert.equal(t.dropped(), 36);
  });

  it('keeps a small paced arrival for a worker that catches up', async () => {
    const t = setup(64);
    t.receiver.arrive(new Uint8Array(60).fill(1));
    t.receiver.arrive(Uint8Array.of(2, 3, 4, 5, 6, 7, 8, 9));
    t.receiver.arrive(Uint8Array.of(10));
    assert.equal(t.seen.length, 64);
    t.consume();
    await until(() => t.seen.length === 69);
    // In order: what fitted at once, then what waited.
    assert.deepEqual(t.seen.slice(60), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(t.dropped(), 0);
  });

  it('drops waiting bytes once the worker has not read for too long', async () => {
    const t = setup(64);
    t.receiver.arrive(new Uint8Array(64));
    t.receiver.arrive(new Uint8Array(8));
    await until(() => t.dropped() === 8);
    t.receiver.clear();
  });
});
