// src/transport/serial.ts: a Transport over a serial port, with the modem lines set on purpose and
// open failures turned into one clear line. Linux and macOS open it through serialport's native
// addon directly (./tty.ts, quick to load); elsewhere the serialport package does (./serialport-link.ts).
import { existsSync } from 'node:fs';
import { TransportError } from '../errors.js';
import type { Transport } from './transport.js';
import { nativeAddon, openTty } from './tty.js';

/** How to open a serial port. */
export interface SerialOptions {
  /** Default 115200 (USB CDC boards ignore it). */
  baud?: number;
  /** Level of DTR after opening. See `defaultModemLines`. */
  dtr?: boolean;
  /** Level of RTS after opening. Default false. */
  rts?: boolean;
  /** Exclusive lock (flock) so two programs cannot share the port. Default true. */
  lock?: boolean;
  /** USB vendor id (`2e8a`) when known, to pick the modem-line defaults. */
  vendorId?: string;
}

/**
 * USB-UART bridges (CP210x, CH340, FTDI) wire DTR/RTS to an ESP32's EN/GPIO0 auto-reset circuit:
 * any mix other than "both low" (or both high) resets the chip or holds it in its bootloader, so
 * both go low. Native USB boards (RP2, pyboard, Adafruit, Espressif's own USB) only send output
 * while DTR is set, as a terminal program would, so DTR stays high there.
 */
export function defaultModemLines(vendorId: string | undefined): { dtr: boolean; rts: boolean } {
  const nativeUsb = ['2e8a', 'f055', '239a', '303a', '0d28', '2341', '1209', '16c0'];
  return { dtr: vendorId !== undefined && nativeUsb.includes(vendorId.toLowerCase()), rts: false };
}

export function openError(path: string, error: Error): TransportError {
  const text = error.message;
  if (/lock|EBUSY|busy/i.test(text)) {
    return new TransportError(
      `${path} is busy: another program (a terminal, mpremote, an IDE, another mpy) has it open`,
      { cause: error },
    );
  }
  if (/ENOENT|No such file/i.test(text)) {
    return new TransportError(`no such port ${path} (see \`mpy devs\`)`, { cause: error });
  }
  if (/EACCES|Permission denied/i.test(text)) {
    return new TransportError(
      `no permission to open ${path} (on Linux: add yourself to the dialout group, log in again)`,
      { cause: error },
    );
  }
  return new TransportError(`cannot open ${path}: ${text}`, { cause: error });
}

/** Open `path`. Throws `TransportError` with one line for a missing, busy or forbidden port. */
export async function openSerial(path: string, options: SerialOptions = {}): Promise<Transport> {
  if (!path.startsWith('COM') && !existsSync(path)) {
    throw new TransportError(`no such port ${path} (see \`mpy devs\`)`);
  }
  const baud = options.baud ?? 115200;
  const lock = options.lock ?? true;
  const lines = { ...defaultModemLines(options.vendorId), ...definedLines(options) };
  const addon = process.env.MPY_SERIALPORT_PACKAGE === '1' ? null : nativeAddon();
  if (addon) {
    try {
      return await openTty(addon, path, { baud, lock, ...lines });
    } catch (error) {
      throw openError(path, error as Error);
    }
  }
  const { openSerialPort } = await import('./serialport-link.js');
  return openSerialPort(path, { baud, lock, lines });
}

function definedLines(options: SerialOptions): { dtr?: boolean; rts?: boolean } {
  const lines: { dtr?: boolean; rts?: boolean } = {};
  if (options.dtr !== undefined) lines.dtr = options.dtr;
  if (options.rts !== undefined) lines.rts = options.rts;
  return lines;
}
