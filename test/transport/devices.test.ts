// test/transport/devices.test.ts: device discovery without udevadm (sysfs), `auto`, short names.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TransportError, UsageError } from '../../src/errors.js';
import {
  describePort,
  expandShortName,
  findBoard,
  listFromSysfs,
  type PortInfo,
} from '../../src/transport/devices.js';

let root: string;

/** A sysfs tree: an ACM port on an RP2 (interface -> device), a CH340 ttyUSB one level deeper. */
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mpy-sysfs-'));
  const usb = join(root, 'devices', 'usb1');
  const rp2 = join(usb, '1-1');
  await mkdir(join(rp2, '1-1:1.0'), { recursive: true });
  await writeFile(join(rp2, 'idVendor'), '2e8a\n');
  await writeFile(join(rp2, 'idProduct'), '0005\n');
  await writeFile(join(rp2, 'manufacturer'), 'MicroPython\n');
  await writeFile(join(rp2, 'product'), 'Board in FS mode\n');
  await writeFile(join(rp2, 'serial'), 'e6614c311b\n');
  const ch340 = join(usb, '1-2');
  await mkdir(join(ch340, '1-2:1.0', 'ttyUSB0'), { recursive: true });
  await writeFile(join(ch340, 'idVendor'), '1A86\n');
  await writeFile(join(ch340, 'idProduct'), '7523\n');
  const tty = join(root, 'class', 'tty');
  for (const name of ['ttyACM0', 'ttyUSB0', 'ttyS0', 'tty1'])
    await mkdir(join(tty, name), { recursive: true });
  await symlink(join(rp2, '1-1:1.0'), join(tty, 'ttyACM0', 'device'));
  await symlink(join(ch340, '1-2:1.0', 'ttyUSB0'), join(tty, 'ttyUSB0', 'device'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('sysfs gives USB ids and names of ACM and USB-serial ports', () => {
  const ports = listFromSysfs(join(root, 'class', 'tty'));
  assert.deepEqual(ports, [
    {
      path: '/dev/ttyACM0',
      vendorId: '2e8a',
      productId: '0005',
      manufacturer: 'MicroPython',
      product: 'Board in FS mode',
      serialNumber: 'e6614c311b',
    },
    { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' },
  ]);
  assert.equal(
    describePort(ports[0]!),
    '/dev/ttyACM0 2e8a:0005 e6614c311b MicroPython Board in FS mode',
  );
  assert.equal(describePort(ports[1]!), '/dev/ttyUSB0 1a86:7523 - WCH CH340');
});

test('auto picks the one board, refuses none or several', async () => {
  const rp2: PortInfo = { path: '/dev/ttyACM0', vendorId: '2e8a', productId: '0005' };
  const other: PortInfo = { path: '/dev/ttyS0' };
  const cp210x: PortInfo = { path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60' };
  assert.equal((await findBoard([rp2, other])).path, '/dev/ttyACM0');
  await assert.rejects(findBoard([other]), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.match(e.message, /no MicroPython board found.*-d sim/);
    return true;
  });
  await assert.rejects(findBoard([rp2, cp210x]), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /several boards found.*\/dev\/ttyACM0, \/dev\/ttyUSB0/);
    return true;
  });
});

test('mpremote short names', () => {
  assert.equal(expandShortName('a0'), '/dev/ttyACM0');
  assert.equal(expandShortName('u12'), '/dev/ttyUSB12');
  assert.equal(expandShortName('c3'), 'COM3');
  assert.equal(expandShortName('/dev/ttyS0'), '/dev/ttyS0');
});
