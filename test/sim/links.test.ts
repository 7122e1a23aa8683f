// test/sim/links.test.ts: the board reached through a real serial client over a pty, and TCP.

import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { servePty, serveTcp, VirtualBoard } from '../../src/sim/index.js';
import { RawClient } from './raw-client.js';
import { openSerialLink, type SerialLink } from './serial-link.js';

describe('virtual board over a pty (serialport client)', () => {
  let board: VirtualBoard;
  let pty: Awaited<ReturnType<typeof servePty>>;
  let serial: SerialLink;
  let client: RawClient;

  before(async () => {
    board = await VirtualBoard.start();
    pty = await servePty(board);
    serial = await openSerialLink(pty.path);
    client = new RawClient(serial);
    await client.enterRaw();
  });
  after(async () => {
    client.dispose();
    await serial.close();
    await pty.close();
    await board.stop();
  });

  it('runs raw-paste code with 128-byte windows', async () => {
    const code = `s = 0\n${Array.from({ length: 60 }, (_, i) => `s += ${i}  # padding to need several windows`).join('\n')}\nprint(s)`;
    assert.ok(code.length > 4 * 128);
    const result = await client.runPaste(code);
    assert.deepEqual(result, { stdout: '1770\r\n', stderr: '' });
  });

  it('prints text with \\r\\n but keeps sys.stdout.buffer raw', async () => {
    // The payload holds 0x04 itself, so read it by length, not up to the raw REPL's \x04.
    await client.send("print('a')\nimport sys\nsys.stdout.buffer.write(bytes(range(256)))\x04");
    await client.readUntil('OK');
    const payload = await client.readBytes(3 + 256);
    const expected = Buffer.concat([
      Buffer.from('a\r\n'),
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    ]);
    assert.ok(payload.equals(expected), JSON.stringify(payload.toString('latin1')));
    assert.equal((await client.readUntil('>')).toString('latin1'), '\x04\x04>');
  });

  it('survives the client closing and reopening the port', async () => {
    client.dispose();
    await serial.close();
    serial = await openSerialLink(pty.path);
    client = new RawClient(serial);
    await client.enterRaw();
    assert.equal((await client.run('print(7)')).stdout, '7\r\n');
  });
});

describe('cutting the link of a pty board', () => {
  it('removes the pty, as unplugging a USB serial adapter does', async () => {
    const board = await VirtualBoard.start();
    const pty = await servePty(board);
    const serial = await openSerialLink(pty.path);
    try {
      board.cutLink();
      await pty.closed;
      assert.throws(() => statSync(pty.path));
    } finally {
      await serial.close().catch(() => undefined);
      await pty.close();
      await board.stop();
    }
  });
});

describe('virtual board over TCP', () => {
  it('serves one client on 127.0.0.1', async () => {
    const board = await VirtualBoard.start();
    const server = await serveTcp(board);
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const client = new RawClient({
      write: (data) => new Promise<void>((resolve) => socket.write(data, () => resolve())),
      onData: (listener) => {
        socket.on('data', listener);
        return () => socket.off('data', listener);
      },
    });
    try {
      await client.enterRaw();
      assert.equal((await client.run('print(1 + 2)')).stdout, '3\r\n');
    } finally {
      socket.destroy();
      await server.close();
      await board.stop();
    }
  });
});
