// src/transport/open.ts: turn a device string into an open Transport (serial, TCP, WebREPL, a
// board command or the sim).
import { stat } from 'node:fs/promises';
import { TransportError } from '../errors.js';
import type { Transport } from './transport.js';
import type { WebreplLogin } from './webrepl.js';

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
  // Each link's module loads when it is used: an exec over WebREPL does not load the serial,
  // sim or socket code first (start-up is what a short command waits for).
  switch (linkKind(device)) {
    case 'sim':
      return (await import('./sim.js')).openSim(device);
    case 'socket':
      return (await import('./socket.js')).openSocket(device);
    case 'webrepl':
      return (await import('./webrepl.js')).openWebrepl(device, options);
    case 'exec':
      return (await import('./exec.js')).openExec(device);
    case 'serial': {
      const { expandShortName, findBoard, sysfsInfo } = await import('./devices.js');
      const port = device === 'auto' ? await findBoard() : sysfsInfo(expandShortName(device));
      const serial = { ...options, ...(port.vendorId ? { vendorId: port.vendorId } : {}) };
      await refuseNonTerminal(port.path);
      // serialport costs ~40 ms of start-up.
      const { openSerial } = await import('./serial.js');
      try {
        return await openSerial(port.path, serial);
      } catch (error) {
        // a character device that is no terminal (/dev/null) fails at the first tty ioctl
        const why = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        if (why instanceof Error && /ENOTTY|Inappropriate ioctl/.test(why.message)) {
          throw notSerial(port.path, error);
        }
        throw error;
      }
    }
  }
}

function notSerial(path: string, cause?: unknown): TransportError {
  return new TransportError(`${path} is not a serial port (see \`mpy devs\`)`, { cause });
}

/**
 * Refuse a path that exists but is not a device (`-d /etc/passwd`, a folder) before serialport
 * opens it: its own words for one are an ioctl's (`Inappropriate ioctl … custom baud rate`).
 * A missing path is openSerial's to word (`no such port`).
 */
async function refuseNonTerminal(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const info = await stat(path).catch(() => undefined);
  if (info && !info.isCharacterDevice()) throw notSerial(path);
}

/** Which kind of link a device string names (`sim`, `sim:DIR`, `sim:DIR?profile=legacy&…`,
 * `socket://…`, `ws://…`, `exec:COMMAND`, else a serial port). */
export function linkKind(device: string): 'sim' | 'socket' | 'webrepl' | 'exec' | 'serial' {
  if (device === 'sim' || device.startsWith('sim:') || device.startsWith('sim?')) return 'sim';
  if (device.startsWith('socket://')) return 'socket';
  if (device.startsWith('ws://')) return 'webrepl';
  if (device.startsWith('exec:')) return 'exec';
  return 'serial';
}
