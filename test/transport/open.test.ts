// test/transport/open.test.ts: device strings reach the right link: the virtual board (stopped
// with its link), malformed sockets, missing serial ports by short name.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TransportError, UsageError } from '../../src/errors.js';
import { openTransport } from '../../src/transport/open.js';
import { ByteReader } from '../../src/transport/reader.js';
import { bytes, text } from '../helpers/fake-transport.js';

test('sim:DIR opens the virtual board, whose REPL answers; closing stops it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mpy-open-'));
  try {
    const link = await openTransport(`sim:${dir}`);
    const reader = new ByteReader(link);
    await link.write(bytes('\r\x03'));
    const prompt = await reader.readUntil('>>> ', 5000);
    assert.match(text(prompt), />>> $/);
    await link.close();
    await assert.rejects(link.write(bytes('x')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad device strings are usage errors or one-line link errors', async () => {
  await assert.rejects(openTransport('socket://nohost'), UsageError);
  await assert.rejects(openTransport('sim:?profile=ancient'), UsageError);
  await assert.rejects(openTransport('u97'), {
    name: 'TransportError',
    message: 'no such port /dev/ttyUSB97 (see `mpy devs`)',
  });
  const error = await openTransport('/dev/ttyNOPE0').catch((e: unknown) => e);
  assert.ok(error instanceof TransportError);
});

test('a path that is no serial port says so, not an ioctl error', {
  skip: process.platform === 'win32',
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mpy-open-'));
  try {
    // a file, a folder, and a device that is no terminal (its first tty ioctl fails)
    for (const path of ['/etc/passwd', dir, '/dev/null']) {
      await assert.rejects(openTransport(path), {
        name: 'TransportError',
        message: `${path} is not a serial port (see \`mpy devs\`)`,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
