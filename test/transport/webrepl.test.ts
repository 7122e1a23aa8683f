// test/transport/webrepl.test.ts: WebREPL device strings and the checks made before connecting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { isWebreplDevice, openWebrepl, webreplUrl } from '../../src/transport/webrepl.js';

test('ws://HOST[:PORT] with port 8266 by default', () => {
  assert.equal(webreplUrl('ws://192.168.4.1'), 'ws://192.168.4.1:8266/');
  assert.equal(webreplUrl('ws://esp32.local:8000/'), 'ws://esp32.local:8000/');
  assert.equal(webreplUrl('ws://[fe80::1]:8266'), 'ws://[fe80::1]:8266/');
  assert.ok(isWebreplDevice('ws://x') && !isWebreplDevice('socket://x:1'));
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
