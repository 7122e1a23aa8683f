// test/transport/hangup.test.ts: the unix port guard: a 0-byte read is a hang-up, and closing
// waits for a read still in the thread pool (closing the fd under it kept the port's flock, so
// the next open in the same process was told the port was busy).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guardUnixPort, type ReadFd } from '../../src/transport/hangup.js';

type ReadResult = { bytesRead: number };

/** A fake unix port whose reads resolve when the test says, and which records its close. */
function fakePort() {
  const pending: Array<(result: ReadResult | Error) => void> = [];
  const events: string[] = [];
  const readFd: ReadFd = () =>
    new Promise<ReadResult>((resolve, reject) => {
      events.push('read');
      pending.push((result) => (result instanceof Error ? reject(result) : resolve(result)));
    });
  const port = {
    fd: 7 as number | null,
    get isOpen() {
      return this.fd !== null;
    },
    poller: { once: () => undefined },
    async close() {
      events.push('fd closed');
      this.fd = null;
    },
    read: async (buffer: Buffer, _offset: number, _length: number) => ({ buffer, bytesRead: 0 }),
  };
  guardUnixPort(port, readFd);
  return { port, pending, events };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('close waits for a read in flight before the fd is closed, and no read starts after', async () => {
  const { port, pending, events } = fakePort();
  const reading = port.read(Buffer.alloc(8), 0, 8);
  await tick();
  const closing = port.close();
  await tick();
  assert.deepEqual(events, ['read'], 'the fd was closed under a read in flight');
  pending.shift()!(Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' }));
  await closing;
  assert.deepEqual(events, ['read', 'fd closed']);
  await assert.rejects(reading, (error: Error & { canceled?: boolean }) => error.canceled === true);
  await assert.rejects(
    port.read(Buffer.alloc(8), 0, 8),
    (error: Error & { canceled?: boolean }) => error.canceled === true,
  );
  assert.deepEqual(events, ['read', 'fd closed'], 'a read began after close');
});

test('a read of 0 bytes is a hang-up; data is passed on', async () => {
  const { port, pending } = fakePort();
  const first = port.read(Buffer.alloc(8), 0, 8);
  await tick();
  pending.shift()!({ bytesRead: 3 });
  assert.equal((await first).bytesRead, 3);
  const second = port.read(Buffer.alloc(8), 0, 8);
  await tick();
  pending.shift()!({ bytesRead: 0 });
  await assert.rejects(
    second,
    (error: Error & { disconnect?: boolean }) => error.disconnect === true,
  );
  await port.close();
});
