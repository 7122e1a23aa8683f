// test/sim/webrepl-files.e2e.test.ts: the sim's WebREPL file protocol (`WA` frames), driven
// byte for byte as webrepl_cli.py drives a board: header, `WB` answers, data frames, quirks.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { serveWebrepl, VirtualBoard, type WebreplServer } from '../../src/sim/index.js';

const PASSWORD = 'files';
let board: VirtualBoard;
let server: WebreplServer;
let flashDir: string;

before(async () => {
  flashDir = mkdtempSync(join(tmpdir(), 'mpy-wa-'));
  board = await VirtualBoard.start({ flashDir, rxBufferSize: 65536 });
  server = await serveWebrepl(board, { password: PASSWORD });
});

after(async () => {
  await server.close();
  await board.stop();
  rmSync(flashDir, { recursive: true, force: true });
});

/** webrepl_cli.py's `struct.pack("<2sBBQLH64s", b"WA", type, 0, 0, size, len(name), name)`. */
function header(type: number, name: string, size = 0): Buffer {
  const head = Buffer.alloc(82);
  head.write('WA', 0, 'latin1');
  head[2] = type;
  head.writeBigUInt64LE(0n, 4);
  head.writeUInt32LE(size, 12);
  const fname = Buffer.from(name);
  head.writeUInt16LE(fname.length, 16);
  fname.copy(head, 18);
  return head;
}

/** Drop the client as a tool does (the board keeps its socket after a close frame). */
async function bye(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  const closed = new Promise((resolve) => ws.once('close', resolve));
  ws.terminate();
  await closed;
}

/** `connect`, again while the board still holds the previous client (it refuses the next). */
async function login(): ReturnType<typeof connect> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A logged-in client whose binary frames are read as one byte stream, as webrepl_cli's. */
async function connect(): Promise<{
  ws: WebSocket;
  read: (count: number) => Promise<Buffer>;
  closed: Promise<void>;
}> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`, { perMessageDeflate: false });
  let binary = Buffer.alloc(0);
  let text = '';
  let wake = () => {};
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  ws.on('close', () => wake());
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) binary = Buffer.concat([binary, data]);
    else text += data.toString('latin1');
    if (text.endsWith('Password: ')) {
      text = '';
      ws.send(`${PASSWORD}\r`);
    }
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    const check = () => (text.includes('WebREPL connected') ? resolve() : undefined);
    ws.on('message', check);
    ws.on('error', reject);
    ws.on('close', () => reject(new Error('closed during login')));
  });
  const read = async (count: number): Promise<Buffer> => {
    while (binary.length < count) {
      if (ws.readyState !== WebSocket.OPEN) throw new Error('closed');
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    const out = binary.subarray(0, count);
    binary = binary.subarray(count);
    return out;
  };
  return { ws, read, closed };
}

const bin = (ws: WebSocket, data: Uint8Array) => ws.send(data, { binary: true });

async function readResp(read: (n: number) => Promise<Buffer>): Promise<string> {
  return (await read(4)).toString('latin1');
}

async function put(name: string, data: Buffer, frame = 1024): Promise<string[]> {
  const { ws, read } = await login();
  const rec = header(1, name, data.length);
  // webrepl_cli.py sends the header in two writes
  bin(ws, rec.subarray(0, 10));
  bin(ws, rec.subarray(10));
  const answers = [await readResp(read)];
  for (let at = 0; at < data.length; at += frame) bin(ws, data.subarray(at, at + frame));
  answers.push(await readResp(read));
  await bye(ws);
  return answers;
}

describe('WebREPL file protocol in the sim', () => {
  test('GET_VER answers three version bytes', async () => {
    const { ws, read } = await login();
    bin(ws, header(3, ''));
    assert.deepEqual([...(await read(3))], [1, 27, 0]);
    await bye(ws);
  });

  test('PUT writes the file on the flash and answers WB 00 00 twice', async () => {
    const data = randomBytes(3000);
    const answers = await put('/put.bin', data);
    assert.deepEqual(answers, ['WB\0\0', 'WB\0\0']);
    assert.ok(readFileSync(join(flashDir, 'put.bin')).equals(data));
  });

  test('GET sends the file in 256-byte chunks, one per request byte, then WB 00 00', async () => {
    const data = randomBytes(700);
    await put('/get.bin', data);
    const { ws, read } = await login();
    bin(ws, header(2, '/get.bin'));
    assert.equal(await readResp(read), 'WB\0\0');
    const sizes: number[] = [];
    const parts: Buffer[] = [];
    for (;;) {
      bin(ws, Buffer.from([0]));
      const size = (await read(2)).readUInt16LE(0);
      sizes.push(size);
      if (size === 0) break;
      parts.push(await read(size));
    }
    assert.equal(await readResp(read), 'WB\0\0');
    assert.deepEqual(sizes, [256, 256, 188, 0]);
    assert.ok(Buffer.concat(parts).equals(data));
    await bye(ws);
  });

  test('a PUT frame one byte over a multiple of 512 loses the last byte, still answered 0', async () => {
    const data = randomBytes(1024 + 513);
    const answers = await put('/quirk.bin', data);
    assert.deepEqual(answers, ['WB\0\0', 'WB\0\0']);
    assert.ok(readFileSync(join(flashDir, 'quirk.bin')).equals(data.subarray(0, -1)));
    // frames of 512 and 1 keep every byte
    await put('/whole.bin', data, 512);
    assert.ok(readFileSync(join(flashDir, 'whole.bin')).equals(data));
  });

  test('a GET of a missing file closes the connection', async () => {
    const { ws, read, closed } = await login();
    bin(ws, header(2, '/missing.bin'));
    await closed;
    await assert.rejects(read(4));
  });
});
