// src/transport/devices.ts: find serial ports and pick the board: `-d` names, short names like
// `a0`, and `auto` (the one USB serial device that looks like a MicroPython board).
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TransportError, UsageError } from '../errors.js';

/** One serial port as `mpy devs` shows it. */
export interface PortInfo {
  path: string;
  /** Lower-case hex, e.g. `2e8a`. */
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
}

/** USB vendors whose serial devices are likely MicroPython boards (or their USB-UART bridges). */
export const BOARD_VENDORS: Record<string, string> = {
  '303a': 'Espressif',
  '10c4': 'Silicon Labs CP210x',
  '1a86': 'WCH CH340',
  '0403': 'FTDI',
  '2e8a': 'Raspberry Pi',
  f055: 'MicroPython (pyboard)',
  '0d28': 'Arm DAPLink (micro:bit)',
  '239a': 'Adafruit',
  '1209': 'pid.codes',
  '2341': 'Arduino',
  '16c0': 'Teensy',
};

/** mpremote's short names: `a0` = /dev/ttyACM0, `u0` = /dev/ttyUSB0, `c0` = COM0. */
export function expandShortName(device: string): string {
  const match = /^([auc])(\d+)$/.exec(device);
  if (!match) return device;
  const prefix = { a: '/dev/ttyACM', u: '/dev/ttyUSB', c: 'COM' }[match[1] as 'a' | 'u' | 'c'];
  return prefix + match[2];
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** USB details of a tty from sysfs: walk up from the tty's device to the USB device folder. */
export function sysfsInfo(path: string, sysRoot = '/sys/class/tty'): PortInfo {
  const info: PortInfo = { path };
  let dir: string;
  try {
    dir = realpathSync(join(sysRoot, basename(path), 'device'));
  } catch {
    return info;
  }
  for (let depth = 0; depth < 5 && dir !== '/'; depth++, dir = dirname(dir)) {
    const vendorId = readText(join(dir, 'idVendor'));
    if (!vendorId) continue;
    info.vendorId = vendorId.toLowerCase();
    const productId = readText(join(dir, 'idProduct'));
    if (productId) info.productId = productId.toLowerCase();
    const manufacturer = readText(join(dir, 'manufacturer'));
    if (manufacturer) info.manufacturer = manufacturer;
    const product = readText(join(dir, 'product'));
    if (product) info.product = product;
    const serialNumber = readText(join(dir, 'serial'));
    if (serialNumber) info.serialNumber = serialNumber;
    break;
  }
  return info;
}

/** Serial ports from sysfs, for systems without udevadm (containers, minimal installs). */
export function listFromSysfs(sysRoot = '/sys/class/tty'): PortInfo[] {
  let names: string[];
  try {
    names = readdirSync(sysRoot);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^tty(ACM|USB|AMA|S\d|WCH|XRUSB)/.test(name) || name.startsWith('rfcomm'))
    .map((name) => sysfsInfo(`/dev/${name}`, sysRoot))
    .filter((info) => info.vendorId !== undefined || /ACM|USB/.test(info.path));
}

/** Every serial port: serialport's list (needs udevadm on Linux), else sysfs. */
export async function listPorts(): Promise<PortInfo[]> {
  try {
    // Loaded on use: serialport costs ~40 ms of start-up that other links need not pay.
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    return ports.map((port) => {
      const info: PortInfo = { path: port.path };
      if (port.vendorId) info.vendorId = port.vendorId.toLowerCase();
      if (port.productId) info.productId = port.productId.toLowerCase();
      if (port.manufacturer) info.manufacturer = port.manufacturer;
      if (port.serialNumber) info.serialNumber = port.serialNumber;
      return info;
    });
  } catch {
    return listFromSysfs();
  }
}

/** Ports whose USB vendor is a known board or bridge maker. */
export function boardCandidates(ports: PortInfo[]): PortInfo[] {
  return ports.filter((port) => port.vendorId !== undefined && port.vendorId in BOARD_VENDORS);
}

/** One line for `mpy devs` and error messages. */
export function describePort(port: PortInfo): string {
  const id = port.vendorId ? `${port.vendorId}:${port.productId ?? '????'}` : '-';
  const what = [port.manufacturer ?? (port.vendorId && BOARD_VENDORS[port.vendorId]), port.product]
    .filter(Boolean)
    .join(' ');
  return [port.path, id, port.serialNumber ?? '-', what || '-'].join(' ');
}

/** The port `auto` means. Throws TransportError for none, UsageError for several. */
export async function findBoard(ports?: PortInfo[]): Promise<PortInfo> {
  const candidates = boardCandidates(ports ?? (await listPorts()));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new TransportError(
      'no MicroPython board found on USB; plug one in, pass -d PORT, or try the virtual board with -d sim',
    );
  }
  throw new UsageError(
    `several boards found, pick one with -d: ${candidates.map((c) => c.path).join(', ')}`,
  );
}
