// src/transport/serial.ts: a Transport over a serial port (serialport 13), with the modem lines
// set on purpose and open failures turned into one clear line.
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { TransportError } from '../errors.js';
import { LinkEvents } from './emitter.js';
import { hangupAwareBinding } from './hangup.js';
import type { Transport } from './transport.js';

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

function openError(path: string, error: Error): TransportError {
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
  const settings = {
    path,
    baudRate: options.baud ?? 115200,
    autoOpen: false,
    lock: options.lock ?? true,
    // SerialPort's types hide it, but it takes a binding (see hangup.ts for why).
    binding: hangupAwareBinding,
  };
  const port = new SerialPort(settings);
  await new Promise<void>((resolve, reject) => {
    port.open((error) => (error ? reject(openError(path, error)) : resolve()));
  });
  const lines = { ...defaultModemLines(options.vendorId), ...definedLines(options) };
  await new Promise<void>((resolve) => {
    // A pty or some USB stacks refuse modem-line ioctls; the link works without them.
    port.set(lines, () => resolve());
  });
  return new SerialTransport(path, port);
}

function definedLines(options: SerialOptions): { dtr?: boolean; rts?: boolean } {
  const lines: { dtr?: boolean; rts?: boolean } = {};
  if (options.dtr !== undefined) lines.dtr = options.dtr;
  if (options.rts !== undefined) lines.rts = options.rts;
  return lines;
}

class SerialTransport implements Transport {
  private readonly events = new LinkEvents();

  constructor(
    readonly description: string,
    private readonly port: SerialPort,
  ) {
    port.on('data', (chunk: Buffer) => this.events.data(chunk));
    port.on('close', (error?: Error) =>
      this.events.close(
        error ? new TransportError(`${description} disconnected`, { cause: error }) : undefined,
      ),
    );
    port.on('error', (error: Error) => {
      this.events.close(new TransportError(`${description}: ${error.message}`, { cause: error }));
    });
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.events.closed) throw new TransportError(`${this.description} is closed`);
    let stopWaiting = () => {};
    try {
      await new Promise<void>((resolve, reject) => {
        // A port that goes away mid-write may never call back: the read side notices the
        // hang-up and ends the link, which ends the wait too.
        stopWaiting = this.events.onClose((error) =>
          reject(error ?? new TransportError(`${this.description} is closed`)),
        );
        this.port.write(Buffer.from(data), (error) => {
          if (error) reject(new TransportError(`writing to ${this.description}: ${error.message}`));
        });
        this.port.drain((error) =>
          error
            ? reject(new TransportError(`writing to ${this.description}: ${error.message}`))
            : resolve(),
        );
      });
    } finally {
      stopWaiting();
    }
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    if (this.events.closed || !this.port.isOpen) {
      this.events.close();
      return;
    }
    this.events.close();
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
