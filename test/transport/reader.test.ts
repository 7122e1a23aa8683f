// test/transport/reader.test.ts: the buffered reader: exact and marker reads across chunks,
// timeouts, close, cancellation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimeoutError, TransportError } from '../../src/errors.js';
import { ByteReader, indexOfBytes } from '../../src/transport/reader.js';
import { bytes, FakeTransport, text } from '../helpers/fake-transport.js';

test('readExactly and readUntil work across chunk boundaries', async () => {
  const fake = new FakeTransport();
  const reader = new ByteReader(fake);
  fake.emit('ab');
  fake.emit('cdEN');
  fake.emit('Dxyz');
  assert.equal(text(await reader.readExactly(3, 1000)), 'abc');
  assert.equal(text(await reader.readUntil('END', 1000)), 'dEND');
  assert.equal(text(reader.readAvailable()), 'xyz');
  assert.equal(reader.readAvailable().length, 0);
});

test('unread puts bytes back in front', async () => {
  const fake = new FakeTransport();
  const reader = new ByteReader(fake);
  fake.emit('tail');
  await reader.readSome(1000);
  reader.unread(bytes('head'));
  fake.emit('!');
  assert.equal(text(await reader.readExactly(5, 1000)), 'head!');
});

test('a read that gets nothing times out', async () => {
  const reader = new ByteReader(new FakeTransport());
  const started = Date.now();
  await assert.rejects(reader.readExactly(1, 100), TimeoutError);
  assert.ok(Date.now() - started >= 90);
});

test('closing the link fails pending and later reads, keeping unread bytes', async () => {
  const fake = new FakeTransport();
  const reader = new ByteReader(fake);
  fake.emit('par');
  const pending = reader.readUntil('>', 5000);
  setTimeout(() => fake.cut(), 20);
  const error = await pending.catch((e: unknown) => e);
  assert.ok(error instanceof TransportError);
  assert.match(error.message, /^lost the link: fake: cable pulled$/);
  assert.equal(text(error.received!), 'par');
  // What arrived before the close can still be read; after that, reads fail at once.
  assert.equal(text(await reader.readSome(1000)), 'par');
  await assert.rejects(reader.readSome(1000), TransportError);
});

test('drain returns what arrives until the link is quiet', async () => {
  const fake = new FakeTransport();
  const reader = new ByteReader(fake);
  let n = 0;
  const timer = setInterval(() => {
    if (n++ < 5) fake.emit('.');
  }, 10);
  const drained = await reader.drain(60, 2000);
  clearInterval(timer);
  assert.equal(text(drained), '.....');
});

test('a wait can be cancelled', async () => {
  const reader = new ByteReader(new FakeTransport());
  const stop = new AbortController();
  const pending = reader.readSome(Number.POSITIVE_INFINITY, stop.signal);
  stop.abort(new Error('stop'));
  await assert.rejects(pending, /stop/);
});

test('indexOfBytes', () => {
  assert.equal(indexOfBytes(bytes('hello'), bytes('llo')), 2);
  assert.equal(indexOfBytes(bytes('hello'), bytes('lol')), -1);
  assert.equal(indexOfBytes(bytes('aaa'), bytes('a'), 1), 1);
});
