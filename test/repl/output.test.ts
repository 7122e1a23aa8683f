// test/repl/output.test.ts: the tail of a run: what may stand where the `>` prompt belongs
// (a soft reboot after sys.exit(), nothing else), and reboot banners in the output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoardError, TransportError } from '../../src/errors.js';
import { readResult } from '../../src/repl/output.js';
import { ByteReader } from '../../src/transport/reader.js';
import { FakeTransport, text } from '../helpers/fake-transport.js';

function boardSays(...chunks: string[]): ByteReader {
  const fake = new FakeTransport();
  const reader = new ByteReader(fake);
  for (const chunk of chunks) fake.emit(chunk);
  return reader;
}

const forever = () => Number.POSITIVE_INFINITY;

test('a soft reboot right after the framing ends the run at the new raw prompt', async () => {
  const reader = boardSays(
    'bye\r\n\x04\x04MPY: soft',
    ' reboot\r\nboot.py says hi\r\n',
    'raw REPL; CTRL-B to exit\r\n>',
  );
  const result = await readResult(reader, forever);
  assert.equal(text(result.stdout), 'bye\r\n');
  assert.equal(result.stderr.length, 0);
  assert.equal(reader.available, 0);
});

test('other bytes instead of the prompt fail at once, carrying what came', async () => {
  for (const junk of ['\x04\x04Hello', '\x04\x04MPY: hard']) {
    const reader = boardSays(junk);
    const error = await readResult(reader, forever).catch((e: unknown) => e);
    assert.ok(error instanceof TransportError, String(error));
    assert.match(error.message, /expected the raw prompt/);
    assert.equal(text(error.received!), junk.slice(2));
  }
});

test('a reboot banner at the end of the output counts once nothing follows it', async () => {
  const banner =
    'MicroPython v1.29.0 on 2026-01-01; qemu\r\nType "help()" for more information.\r\n>>> ';
  const error = await readResult(boardSays(`boom\r\n${banner}`), forever).catch((e: unknown) => e);
  assert.ok(error instanceof BoardError && error.type === 'BoardReset', String(error));
  // Printed by the code, the framing follows (the replays cut it at every place).
  const fake = new FakeTransport();
  const reader = new ByteReader(fake);
  fake.emit(banner);
  const result = readResult(reader, forever);
  setTimeout(() => fake.emit('\x04\x04>'), 20);
  assert.equal(text((await result).stdout), banner);
});
