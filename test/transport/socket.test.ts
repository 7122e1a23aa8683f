// test/transport/socket.test.ts: the TCP transport against a local server.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { TransportError, UsageError } from '../../src/errors.js';
import { ByteReader } from '../../src/transport/reader.js';
import { openSocket, parseSocketUrl } from '../../src/transport/socket.js';
import { bytes, text } from '../helpers/fake-transport.js';

test('bytes both ways, and the far end closing is reported with an error', async () => {
  let peer: Socket | undefined;
  const server = createServer((socket) => {
    peer = socket;
    socket.on('data', (data) => socket.write(Buffer.concat([Buffer.from('echo:'), data])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const link = await openSocket(`socket://127.0.0.1:${port}`);
    const reader = new ByteReader(link);
    await link.write(bytes('hi'));
    assert.equal(text(await reader.readExactly(7, 2000)), 'echo:hi');
    const closed = new Promise<Error | undefined>((resolve) => link.onClose(resolve));
    peer!.destroy();
    assert.ok((await closed) instanceof TransportError);
    await link.close();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a refused connection and a malformed address are one-line errors', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  await assert.rejects(openSocket(`socket://127.0.0.1:${port}`), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.equal(e.message, `cannot connect to socket://127.0.0.1:${port}: connection refused`);
    return true;
  });
  assert.throws(() => parseSocketUrl('socket://nohost'), UsageError);
  assert.deepEqual(parseSocketUrl('socket://[::1]:2217'), { host: '::1', port: 2217 });
});
