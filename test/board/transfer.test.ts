// test/board/transfer.test.ts: the host side of the upload/download protocols against scripted
// executions: never more than the allowed windows in flight, every ack taken, framing exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePyRepr, parsePyReprLines } from '../../src/board/py-repr.js';
import {
  decodeTextLines,
  driveExecution,
  hasInterruptWindow,
  receiveFramed,
  SlowConfirm,
  sendWindowed,
} from '../../src/board/transfer.js';
import { BoardError, TimeoutError, TransportError } from '../../src/errors.js';
import type { Execution } from '../../src/repl/types.js';

/** A board that takes stdin in windows: ready byte, sync byte confirmed, then ack k exists once k
 * windows have arrived. */
class WindowedBoard implements Execution {
  received = 0;
  acksRead = 0;
  readyRead = false;
  synced = false;
  maxUnacked = 0;
  constructor(
    private readonly window: number,
    private readonly ready = 1,
  ) {}
  async readExactly(n: number): Promise<Uint8Array> {
    if (!this.readyRead) {
      this.readyRead = true;
      return Uint8Array.of(this.ready);
    }
    if (!this.synced) {
      // the sync byte must have come, and nothing else yet
      assert.equal(this.received, 1, 'payload sent before the sync byte was confirmed');
      this.synced = true;
      this.received = 0;
      return Uint8Array.of(1);
    }
    const available = Math.floor(this.received / this.window) - this.acksRead;
    if (available < n) throw new Error(`host waits for ${n} acks, only ${available} can come`);
    this.acksRead += n;
    return new Uint8Array(n).fill(1);
  }
  async readUntil(): Promise<Uint8Array> {
    throw new Error('not used');
  }
  async write(data: Uint8Array): Promise<void> {
    this.received += data.length;
    this.maxUnacked = Math.max(this.maxUnacked, this.received - this.acksRead * this.window);
  }
  async finish(): Promise<Uint8Array> {
    throw new BoardError('OSError', '[Errno 2] ENOENT', 'Traceback');
  }
}

test('sendWindowed keeps at most inFlight windows unacknowledged and reads every ack', async () => {
  for (const size of [0, 1, 127, 128, 129, 1000, 4096]) {
    const board = new WindowedBoard(128);
    const sent: number[] = [];
    await sendWindowed(board, new Uint8Array(size), { window: 128, inFlight: 2 }, (n) =>
      sent.push(n),
    );
    assert.equal(board.received, size);
    assert.ok(board.maxUnacked <= 256, `max unacked ${board.maxUnacked}`);
    assert.equal(board.acksRead, Math.floor(size / 128));
    assert.equal(sent.at(-1) ?? 0, size);
  }
});

test('Ctrl-C mid-upload: no more payload, the window under way and one more of Ctrl-C, then the end', async () => {
  // 1000 bytes in 128-byte windows: aborted after 256 (one window left whole), after 896 (104
  // bytes left: all of them Ctrl-C, so the digest check fails on the board)
  for (const [abortAt, pad] of [
    [256, 128],
    [896, 104],
  ] as const) {
    const board = new WindowedBoard(128);
    const writes: Uint8Array[] = [];
    const write = board.write.bind(board);
    board.write = async (data) => {
      writes.push(data.slice());
      await write(data);
    };
    let finished = 0;
    board.finish = async () => {
      finished++;
      throw new BoardError('KeyboardInterrupt', '', 'Traceback');
    };
    const stop = new AbortController();
    const payload = new Uint8Array(1000).fill(0x55);
    await assert.rejects(
      sendWindowed(board, payload, { window: 128, inFlight: 2, signal: stop.signal }, (sent) => {
        if (sent >= abortAt) stop.abort();
      }),
      (e: unknown) => e instanceof Error && e.name === 'AbortError',
    );
    const last = writes.at(-1)!;
    assert.deepEqual(last, new Uint8Array(pad).fill(3));
    assert.equal(board.received, abortAt + pad);
    assert.equal(finished, 1);
  }
});

/** A board whose answer to the sync byte is `late` ms away, or never comes (stdin carries
 * nothing): what it is sent meanwhile, and how its program ends. */
function slowSyncBoard(late: number | undefined): Execution & { writes: Uint8Array[] } {
  const writes: Uint8Array[] = [];
  let reads = 0;
  let interrupted: (() => void) | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    interrupted = resolve;
  });
  return {
    writes,
    async readExactly() {
      reads++;
      if (reads === 1) return Uint8Array.of(1);
      if (late === undefined) {
        await gaveUp; // Ctrl-C on: the first 0x03 interrupts, the program ends
        return Uint8Array.of(4);
      }
      await new Promise((resolve) => setTimeout(resolve, late));
      return Uint8Array.of(1);
    },
    async readUntil() {
      throw new Error('not used');
    },
    async write(data: Uint8Array) {
      writes.push(data);
      if (data[0] === 3) interrupted?.();
    },
    unread() {},
    async finish() {
      throw new BoardError('KeyboardInterrupt', '', 'Traceback');
    },
  };
}

test('a sync byte confirmed late: the board is told to give up with Ctrl-C window, no payload, SlowConfirm', async () => {
  const board = slowSyncBoard(80);
  const flow = { window: 128, inFlight: 2, confirmMs: 20 };
  await assert.rejects(sendWindowed(board, new Uint8Array(1000).fill(7), flow), SlowConfirm);
  // the sync byte, then exactly one window of Ctrl-C: not one payload byte
  assert.deepEqual(
    board.writes.map((w) => [...w]),
    [[0x0a], new Array(128).fill(3)],
  );
  // a payload shorter than a window is replaced whole (its digest then fails on the board)
  const small = slowSyncBoard(80);
  await assert.rejects(sendWindowed(small, new Uint8Array(5), flow), SlowConfirm);
  assert.deepEqual(small.writes[1], new Uint8Array(5).fill(3));
});

test("a sync byte never confirmed ends in the board's KeyboardInterrupt (stdin carries nothing)", async () => {
  const board = slowSyncBoard(undefined);
  const flow = { window: 128, inFlight: 2, confirmMs: 20 };
  await assert.rejects(
    sendWindowed(board, new Uint8Array(1000), flow),
    (error) => error instanceof BoardError && error.type === 'KeyboardInterrupt',
  );
  assert.equal(board.writes.length, 2);
});

test('a board that restarts when told to give up on an unconfirmed stdin: as no stdin', async () => {
  // the unix port dies of a Ctrl-C that lands as its code ends, and boots again
  let interrupted: (() => void) | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    interrupted = resolve;
  });
  let reads = 0;
  let lines = ['PY: soft reboot\r\n'];
  const board: Execution = {
    async readExactly() {
      reads++;
      if (reads === 1) return Uint8Array.of(1);
      await gaveUp;
      return new TextEncoder().encode('M');
    },
    async readUntil() {
      const line = lines.shift();
      if (line === undefined) throw new TimeoutError('quiet');
      return new TextEncoder().encode(line);
    },
    async write(data: Uint8Array) {
      if (data[0] === 3) interrupted?.();
    },
    unread() {},
    async finish() {
      return new Uint8Array(0);
    },
  };
  const flow = { window: 128, inFlight: 2, confirmMs: 20 };
  await assert.rejects(sendWindowed(board, new Uint8Array(1000), flow), TimeoutError);
  // before the deadline a reset is what it is
  reads = 0;
  lines = ['PY: soft reboot\r\n'];
  interrupted?.();
  await assert.rejects(sendWindowed(board, new Uint8Array(1000), { ...flow, confirmMs: 5000 }), {
    name: 'BoardReset',
  });
});

test('a board that cannot start reports its error instead of a protocol failure', async () => {
  const board = new WindowedBoard(128, 0);
  await assert.rejects(
    sendWindowed(board, new Uint8Array(10), { window: 128, inFlight: 2 }),
    (e: unknown) => e instanceof BoardError && e.errno === 2,
  );
});

test('receiveFramed reads the size line and exactly that many bytes', async () => {
  const payload = Uint8Array.from({ length: 10000 }, (_, i) => (i * 7) & 255);
  const stream = Buffer.concat([Buffer.from([1]), Buffer.from('10000\n'), payload]);
  let at = 0;
  const execution: Execution = {
    async readExactly(n) {
      const part = stream.subarray(at, at + n);
      at += n;
      return new Uint8Array(part);
    },
    async readUntil(marker) {
      const end = stream.indexOf(String(marker), at) + 1;
      const part = stream.subarray(at, end);
      at = end;
      return new Uint8Array(part);
    },
    async write() {},
    async finish() {
      return new Uint8Array(0);
    },
  };
  const progress: number[] = [];
  const data = await receiveFramed(execution, (n) => progress.push(n));
  assert.deepEqual(data, payload);
  assert.equal(progress.at(-1), 10000);
});

test('Ctrl-C mid-download abandons the program (the session recovers it) and stops reading', async () => {
  const stream = Buffer.concat([Buffer.from([1]), Buffer.from('100000\n')]);
  let at = 0;
  let payloadRead = 0;
  let abandoned = 0;
  const stop = new AbortController();
  const execution: Execution = {
    async readExactly(n) {
      if (at < stream.length) {
        const part = stream.subarray(at, at + n);
        at += n;
        return new Uint8Array(part);
      }
      payloadRead += n;
      return new Uint8Array(n);
    },
    async readUntil(marker) {
      const end = stream.indexOf(String(marker), at) + 1;
      const part = stream.subarray(at, end);
      at = end;
      return new Uint8Array(part);
    },
    async write() {},
    async finish() {
      return new Uint8Array(0);
    },
    async abandon() {
      abandoned++;
    },
  };
  await assert.rejects(
    receiveFramed(
      execution,
      (received) => {
        if (received >= 3000) stop.abort();
      },
      undefined,
      stop.signal,
    ),
    (e: unknown) => e instanceof Error && e.name === 'AbortError',
  );
  assert.equal(abandoned, 1);
  assert.ok(payloadRead <= 4096, `${payloadRead} bytes read after Ctrl-C`);
});

test('text downloads decode hex and base64 lines', () => {
  assert.deepEqual(decodeTextLines('0001ff\r\n10\n', false), Uint8Array.of(0, 1, 255, 16));
  assert.deepEqual(decodeTextLines('AAH/\n', true), Uint8Array.of(0, 1, 255));
});

test('parsePyRepr reads what MicroPython prints', () => {
  assert.deepEqual(parsePyRepr("[('a\\'b', 'd', 0, None), (\"it's\", 'f', 12, 7)]"), [
    ["a'b", 'd', 0, null],
    ["it's", 'f', 12, 7],
  ]);
  assert.deepEqual(parsePyRepr("b'\\x00\\xff'"), Uint8Array.of(0, 255));
  assert.deepEqual(parsePyRepr("{'a': True, 'b': -3}"), { a: true, b: -3 });
  assert.equal(parsePyRepr("'\\n\\u00e9\u2603'"), '\n\u00e9\u2603');
  assert.deepEqual(parsePyReprLines("('/a', 1, 'x')\r\n\r\n('/b', 2, 'y')\r\n"), [
    ['/a', 1, 'x'],
    ['/b', 2, 'y'],
  ]);
  assert.throws(() => parsePyRepr('Traceback'), TransportError);
});

test('a full window of Ctrl-C bytes is found only at window boundaries', () => {
  const data = new Uint8Array(400);
  data.fill(3, 100, 300);
  assert.equal(hasInterruptWindow(data, 128), true);
  assert.equal(hasInterruptWindow(data.subarray(0, 255), 128), false);
  data[200] = 4;
  assert.equal(hasInterruptWindow(data, 128), false);
  assert.equal(hasInterruptWindow(new Uint8Array(127).fill(3), 128), false);
});

test('a protocol failure still waits for the program to end, so the session is released', async () => {
  const board = new WindowedBoard(128, 7);
  let finished = 0;
  board.finish = async () => {
    finished++;
    return new Uint8Array(0);
  };
  await assert.rejects(
    driveExecution(board, (execution) =>
      sendWindowed(execution, new Uint8Array(10), { window: 128, inFlight: 2 }),
    ),
    (e: unknown) => e instanceof TransportError && e.received?.[0] === 7,
  );
  assert.equal(finished, 1);
});

/** An execution whose output is `stream`; writes are taken and dropped. A read past its end times
 * out, as a quiet board's does. */
function replay(stream: Buffer): Execution {
  let at = 0;
  const quiet = () => new TimeoutError('fake sent nothing more');
  return {
    async readExactly(n) {
      if (at + n > stream.length) throw quiet();
      at += n;
      return new Uint8Array(stream.subarray(at - n, at));
    },
    async readUntil(marker) {
      const found = stream.indexOf(String(marker), at);
      if (found < 0) throw quiet();
      const part = stream.subarray(at, found + 1);
      at = found + 1;
      return new Uint8Array(part);
    },
    async write() {},
    async finish() {
      return new Uint8Array(0);
    },
  };
}

test('a board that resets mid-upload is named as such, not as odd acknowledgements', async () => {
  const upload = (after: string) =>
    sendWindowed(
      replay(Buffer.concat([Buffer.from([1, 1, 1]), Buffer.from(after, 'latin1')])),
      new Uint8Array(1000),
      { window: 128, inFlight: 2 },
    );
  const reset = /^the board reset during the transfer \(the file on the board is as it was\)$/;
  // a soft reboot (a watchdog, machine.soft_reset() in a timer), then the raw REPL again
  await assert.rejects(upload('MPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>'), {
    name: 'BoardReset',
    message: reset,
  });
  // the reset button on an ESP32: its ROM's lines, then MicroPython's banner
  const esp32 =
    'ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n' +
    'MicroPython v1.22.0 on 2024-01-05; Generic ESP32 module with ESP32\r\n' +
    'Type "help()" for more information.\r\n>>> ';
  await assert.rejects(upload(esp32), { name: 'BoardReset', message: reset });
  // anything else keeps its own words and the bytes, for --debug
  const odd = await upload('xyz').catch((e: unknown) => e);
  assert.ok(odd instanceof TransportError);
  assert.equal(odd.message, 'unexpected bytes instead of upload acknowledgements');
  assert.equal(Buffer.from(odd.received!).toString(), 'x');
});
