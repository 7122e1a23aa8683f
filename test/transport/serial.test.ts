// test/transport/serial.test.ts: the serial transport on a real pty pair (socat): bytes both
// ways, an exclusive lock, clear errors for missing ports, and unplugging reported as an error.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { test } from 'node:test';
import { TransportError } from '../../src/errors.js';
import { ByteReader } from '../../src/transport/reader.js';
import { defaultModemLines, openSerial } from '../../src/transport/serial.js';
import { bytes, text } from '../helpers/fake-transport.js';

/** Two connected ptys from socat; resolves once socat has printed both paths. */
async function ptyPair(): Promise<{ a: string; b: string; socat: ChildProcess }> {
  const socat = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const paths: string[] = [];
  let log = '';
  await new Promise<void>((resolve, reject) => {
    socat.once('error', reject);
    socat.once('exit', (code) => reject(new Error(`socat exited with ${code}: ${log}`)));
    socat.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      for (const match of log.matchAll(/PTY is (\S+)/g)) {
        if (!paths.includes(match[1]!)) paths.push(match[1]!);
      }
      if (paths.length === 2 && /starting data transfer loop/.test(log)) resolve();
    });
  });
  socat.removeAllListeners('exit');
  return { a: paths[0]!, b: paths[1]!, socat };
}

test('bytes flow both ways; a second open of a locked port is refused', async () => {
  const { a, b, socat } = await ptyPair();
  try {
    const left = await openSerial(a, { baud: 115200 });
    const right = await openSerial(b, { baud: 115200 });
    const fromLeft = new ByteReader(right);
    const fromRight = new ByteReader(left);
    const big = bytes('0123456789'.repeat(3000));
    await left.write(big);
    assert.equal(text(await fromLeft.readExactly(big.length, 5000)), text(big));
    await right.write(bytes('pong'));
    assert.equal(text(await fromRight.readExactly(4, 2000)), 'pong');
    await assert.rejects(openSerial(a), (e: unknown) => {
      assert.ok(e instanceof TransportError);
      assert.equal(
        e.message,
        `${a} is busy: another program (a terminal, mpremote, an IDE, another mpy) has it open`,
      );
      return true;
    });
    await left.close();
    await right.close();
  } finally {
    socat.kill();
  }
});

test('unplugging (the pty going away) closes the link with an error', async () => {
  const { a, socat } = await ptyPair();
  const link = await openSerial(a);
  const closed = new Promise<Error | undefined>((resolve) => link.onClose(resolve));
  socat.kill();
  const error = await closed;
  assert.ok(error instanceof TransportError, String(error));
  await link.close();
  await assert.rejects(link.write(bytes('x')), TransportError);
});

test('a missing port is one line', async () => {
  await assert.rejects(openSerial('/dev/ttyMPYNOPE9'), {
    message: 'no such port /dev/ttyMPYNOPE9 (see `mpy devs`)',
  });
});

test('modem lines: low for USB-UART bridges, DTR high for native USB', () => {
  assert.deepEqual(defaultModemLines('10c4'), { dtr: false, rts: false });
  assert.deepEqual(defaultModemLines(undefined), { dtr: false, rts: false });
  assert.deepEqual(defaultModemLines('2e8a'), { dtr: true, rts: false });
});
