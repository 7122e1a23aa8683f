// test/transport/webrepl.test.ts: WebREPL device strings and the checks made before connecting.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { encodeFrame, FrameParser, OPCODE, upgradeResponse } from '../../src/sim/ws-frames.js';
import { linkKind } from '../../src/transport/open.js';
import { openWebrepl, webreplUrl } from '../../src/transport/webrepl.js';

test('ws://HOST[:PORT] with port 8266 by default', () => {
  assert.equal(webreplUrl('ws://192.168.4.1'), 'ws://192.168.4.1:8266/');
  assert.equal(webreplUrl('ws://esp32.local:8000/'), 'ws://esp32.local:8000/');
  assert.equal(webreplUrl('ws://[fe80::1]:8266'), 'ws://[fe80::1]:8266/');
  assert.equal(linkKind('ws://x'), 'webrepl');
  assert.equal(linkKind('socket://x:1'), 'socket');
});

test('malformed WebREPL devices are usage errors', () => {
  for (const device of [
    'ws://',
    'ws://host:0',
    'ws://host:99999',
    'ws://host:12/path',
    'ws://a:b',
  ]) {
    assert.throws(() => webreplUrl(device), UsageError, device);
  }
});

test('no password and no way to ask is a usage error; so is one over 9 bytes', async () => {
  await assert.rejects(openWebrepl('ws://127.0.0.1:1'), /needs a password/);
  await assert.rejects(openWebrepl('ws://127.0.0.1:1', { password: '0123456789' }), /at most 9/);
  const asked = await openWebrepl('ws://127.0.0.1:1', { askPassword: async () => 'pw' }).catch(
    (error: Error) => error.message,
  );
  assert.match(String(asked), /connection refused/);
});

/** A board that answers the login with two frames in one TCP packet, as a board's writes
 * coalesce on WiFi: `WebREPL connected` and then what the REPL input sent with the password
 * produced. */
async function coalescingBoard(after: string): Promise<{ port: number; close(): void }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    let head = '';
    const parser = new FrameParser();
    let typed = '';
    socket.on('data', (chunk) => {
      if (!head.includes('\r\n\r\n')) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.write(upgradeResponse(head.slice(0, end)) ?? '');
        socket.write(encodeFrame(OPCODE.text, Buffer.from('Password: ')));
        chunk = Buffer.from(head.slice(end + 4), 'latin1');
      }
      for (const frame of parser.push(chunk)) {
        typed += frame.payload.toString('latin1');
        if (typed.endsWith('\r')) {
          socket.write(
            Buffer.concat([
              encodeFrame(OPCODE.text, Buffer.from('\r\nWebREPL connected\r\n>>> ')),
              encodeFrame(OPCODE.text, Buffer.from(after, 'latin1')),
            ]),
          );
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

test('frames that come in the same packet as the login are not lost', async () => {
  const board = await coalescingBoard('raw REPL; CTRL-B to exit\r\n>');
  const link = await openWebrepl(`ws://127.0.0.1:${board.port}`, { password: 'pw' });
  try {
    const got: Buffer[] = [];
    link.onData((data) => got.push(Buffer.from(data)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(Buffer.concat(got).toString('latin1'), 'raw REPL; CTRL-B to exit\r\n>');
  } finally {
    await link.close();
    board.close();
  }
});
