// test/sim/link-options.test.ts: receive-buffer overrun, baud pacing, counters, cutting the link.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransportError } from '../../src/errors.js';
import { VirtualBoard } from '../../src/sim/index.js';
import { startPtyBoard } from './harness.js';
import { RawClient } from './raw-client.js';

const bigCode = (lines: number): string =>
  `s = 0\n${Array.from({ length: lines }, (_, i) => `s += ${i}  # keep the line long enough`).join('\n')}\nprint(s)`;
const sumTo = (lines: number): number => (lines * (lines - 1)) / 2;

describe('link options', () => {
  it('delivers a long raw-paste intact through a 256-byte buffer when flow control is obeyed', async () => {
    const pty = await startPtyBoard({ rxBufferSize: 256, baud: 1_000_000 });
    try {
      await pty.client.enterRaw();
      pty.board.resetCounters();
      const result = await pty.client.runPaste(bigCode(150));
      assert.deepEqual(result, { stdout: `${sumTo(150)}\r\n`, stderr: '' });
      assert.equal(pty.board.counters.dropped, 0);
    } finally {
      await pty.close();
    }
  });

  it('drops what does not fit when the sender ignores the window', async () => {
    const board = await VirtualBoard.start({ rxBufferSize: 256 });
    try {
      const client = new RawClient(board.connect());
      await client.enterRaw();
      await client.send('\x05A\x01');
      await client.readBytes(5);
      // Everything at once, no waiting for \x01: a real UART overruns the same way.
      await client.send(bigCode(150));
      assert.ok(board.counters.dropped > 0, 'some bytes were dropped');
      // The 256 bytes that fit are two windows: wait for both acks so \x04 is not dropped too.
      await client.readUntil('\x01\x01');
      await client.send('\x04');
      const text = (await client.readUntil('\x04>')).toString('latin1');
      assert.ok(
        !text.includes(`${sumTo(150)}\r\n`),
        'the damaged code did not produce the right answer',
      );
    } finally {
      await board.stop();
    }
  });

  it('paces bytes at baud/10 per second', async () => {
    const board = await VirtualBoard.start({ baud: 9600 });
    try {
      const transport = board.connect();
      const started = performance.now();
      await transport.write(Buffer.alloc(192, 0x20)); // 192 bytes at 960 bytes/s = 200 ms
      assert.ok(performance.now() - started >= 150, `took ${performance.now() - started} ms`);
    } finally {
      await board.stop();
    }
  });

  it('adds the latency to each direction', async () => {
    const board = await VirtualBoard.start({ latencyMs: 40 });
    try {
      const client = new RawClient(board.connect());
      await client.enterRaw();
      const started = performance.now();
      await client.run('pass');
      assert.ok(
        performance.now() - started >= 80,
        `round trip took ${performance.now() - started} ms`,
      );
    } finally {
      await board.stop();
    }
  });

  it('traces both directions readably', async () => {
    const lines: string[] = [];
    const board = await VirtualBoard.start({ trace: (line) => lines.push(line) });
    try {
      const client = new RawClient(board.connect());
      await client.enterRaw();
      await client.send('\x05A\x01');
      await client.readBytes(5);
      assert.ok(lines.includes('> 05 41 01'), lines.join('\n'));
      assert.ok(
        lines.some((line) => line.startsWith('< "R\\u0001')),
        lines.join('\n'),
      );
      await client.send('\x03');
      await client.readUntil('>');
    } finally {
      await board.stop();
    }
  });

  it('counts bytes both ways', async () => {
    const board = await VirtualBoard.start();
    try {
      const client = new RawClient(board.connect());
      await client.enterRaw();
      board.resetCounters();
      await client.run('print("x" * 100)');
      assert.equal(board.counters.hostToBoard, 'print("x" * 100)\x04'.length);
      assert.equal(board.counters.boardToHost, 'OK'.length + 102 + '\x04\x04>'.length);
      assert.equal(board.counters.dropped, 0);
    } finally {
      await board.stop();
    }
  });

  it('cuts the link after N bytes: onClose gets an error, writes reject', async () => {
    const board = await VirtualBoard.start({ cutAfterBytes: 10 });
    try {
      const transport = board.connect();
      const closed = new Promise<Error | undefined>((resolve) => transport.onClose(resolve));
      await assert.rejects(transport.write(Buffer.alloc(20, 0x20)), TransportError);
      assert.ok((await closed) instanceof TransportError);
      assert.equal(board.counters.hostToBoard, 10);
      await assert.rejects(transport.write(Buffer.from('x')), TransportError);
      // Plugging back in works.
      board.setLink({ cutAfterBytes: undefined });
      const again = new RawClient(board.connect());
      await again.enterRaw();
      assert.equal((await again.run('print(5)')).stdout, '5\r\n');
    } finally {
      await board.stop();
    }
  });

  it('cutLink() ends the connection as an unplug does', async () => {
    const board = await VirtualBoard.start();
    try {
      const transport = board.connect();
      const closed = new Promise<Error | undefined>((resolve) => transport.onClose(resolve));
      board.cutLink();
      assert.ok((await closed) instanceof Error);
      await assert.rejects(transport.write(Buffer.from('x')), TransportError);
    } finally {
      await board.stop();
    }
  });

  it('allows one connection at a time', async () => {
    const board = await VirtualBoard.start();
    try {
      const first = board.connect();
      assert.throws(() => board.connect(), TransportError);
      await first.close();
      await board.connect().close();
    } finally {
      await board.stop();
    }
  });
});
