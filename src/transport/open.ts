// src/transport/open.ts: turn a device string into an open Transport (serial, TCP, a board
// command or the sim).

import { expandShortName, findBoard, sysfsInfo } from './devices.js';
import { isExecDevice, openExec } from './exec.js';
import { isSimDevice, openSim } from './sim.js';
import { openSocket } from './socket.js';
import type { Transport } from './transport.js';
import { isWebreplDevice, openWebrepl, type WebreplLogin } from './webrepl.js';

/** Options that matter for serial ports, and WebREPL's login (each ignored by other links). */
export interface OpenOptions extends WebreplLogin {
  baud?: number;
  dtr?: boolean;
  rts?: boolean;
  lock?: boolean;
}

/**
 * Open `device`: `auto`, a serial path or short name (`a0`), `socket://host:port`,
 * `ws://host[:port]` (WebREPL), `exec:COMMAND`, or `sim…`.
 * Throws `TransportError` (missing, busy, refused) or `UsageError` (ambiguous, malformed).
 */
export async function openTransport(device: string, options: OpenOptions = {}): Promise<Transport> {
  if (isSimDevice(device)) return openSim(device);
  if (device.startsWith('socket://')) return openSocket(device);
  if (isWebreplDevice(device)) return openWebrepl(device, options);
  if (isExecDevice(device)) return openExec(device);
  const port = device === 'auto' ? await findBoard() : sysfsInfo(expandShortName(device));
  const serial = { ...options, ...(port.vendorId ? { vendorId: port.vendorId } : {}) };
  // serialport is loaded only for a serial link (it costs ~40 ms of start-up).
  const { openSerial } = await import('./serial.js');
  return openSerial(port.path, serial);
}
