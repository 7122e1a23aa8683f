// test/many/devices.test.ts: `-d` naming several boards: comma lists, repeats, `exec:` commands
// with commas, globs matched against a folder, `all` from a port list, and the short names.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDevices } from '../../src/many/device-spec.js';
import { expandGlob, resolveDevices, shortNames } from '../../src/many/devices.js';

test('one device is one board; lists, repeats, globs and all mean many', () => {
  assert.deepEqual(parseDevices(['a0']), {
    entries: [{ kind: 'device', device: 'a0' }],
    many: false,
  });
  assert.equal(parseDevices(['a0,a1']).many, true);
  assert.deepEqual(
    parseDevices(['a0, a1', '/dev/ttyUSB3']).entries.map((e) =>
      e.kind === 'device' ? e.device : e.kind,
    ),
    ['a0', 'a1', '/dev/ttyUSB3'],
  );
  assert.deepEqual(parseDevices(['/dev/ttyACM*']), {
    entries: [{ kind: 'glob', pattern: '/dev/ttyACM*' }],
    many: true,
  });
  assert.deepEqual(parseDevices(['all']), { entries: [{ kind: 'all' }], many: true });
  // a sim's query string and an exec command's commas are not globs or lists
  assert.deepEqual(parseDevices(['sim:/tmp/f?profile=legacy']).many, false);
  const qemu = 'exec:qemu-system-arm -device loader,file=/x.hex -serial stdio';
  assert.deepEqual(parseDevices([`a0,${qemu}`]).entries, [
    { kind: 'device', device: 'a0' },
    { kind: 'device', device: qemu },
  ]);
});

test('a glob matches what exists now, in natural order; all is what devs marks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-devs-'));
  try {
    for (const name of ['ttyACM10', 'ttyACM2', 'ttyUSB0', '.ttyACM9']) {
      writeFileSync(join(dir, name), '');
    }
    mkdirSync(join(dir, 'ttyACM3'));
    assert.deepEqual(await expandGlob(join(dir, 'ttyACM*')), [
      join(dir, 'ttyACM2'),
      join(dir, 'ttyACM10'),
    ]);
    assert.deepEqual(await expandGlob(join(dir, 'tty[!A]??[0-9]')), [join(dir, 'ttyUSB0')]);
    assert.deepEqual(await expandGlob(join(dir, 'nothing*')), []);
    const spec = parseDevices([`${join(dir, 'ttyUSB*')},all,${join(dir, 'ttyUSB0')}`]);
    const found = await resolveDevices(spec, {
      listPorts: async () => [
        { path: '/dev/ttyACM0', vendorId: '2e8a', productId: '0005' },
        { path: '/dev/ttyS0' },
      ],
    });
    assert.deepEqual(found, [join(dir, 'ttyUSB0'), '/dev/ttyACM0']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('short names: mpremote style for ports, the last part otherwise, the device when shared', () => {
  const names = shortNames([
    '/dev/ttyACM0',
    '/dev/ttyUSB3',
    'COM4',
    '/dev/pts/7',
    'socket://127.0.0.1:2217',
    'sim:/tmp/flash-a?profile=legacy',
    '/tmp/x/board1',
    '/tmp/y/board1',
  ]);
  assert.deepEqual(
    [...names.values()],
    ['a0', 'u3', 'c4', 'pts7', '127.0.0.1:2217', 'sim:flash-a', '/tmp/x/board1', '/tmp/y/board1'],
  );
});
