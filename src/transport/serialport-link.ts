// src/transport/serialport-link.ts: a Transport over the serialport package (13), for platforms
// where ./tty.ts cannot load serialport's native addon by itself (Windows), or when
// MPY_SERIALPORT_PACKAGE=1 asks for it.
import { SerialPort } from 'serialport';
import { TransportError } from '../errors.js';
import { endedLinkError, LinkEvents } from './emitter.js';
import { hangupAwareBinding } from './hangup.js';
import { openError } from './serial.js';
import type { Transport } from './transport.js';

/** Open `path` with the serialport package. */
export async function openSerialPort(
  path: string,
  options: { baud: number; lock: boolean; lines: { dtr: boolean; rts: boolean } },
): Promise<Transport> {
  const settings = {
    path,
    baudRate: options.baud,
    autoOpen: false,
    lock: options.lock,
    // SerialPort's types hide it, but it takes a binding (see hangup.ts for why).
    binding: hangupAwareBinding,
  };
  const port = new SerialPort(settings);
  await new Promise<void>((resolve, reject) => {
    port.open((error) => (error ? reject(openError(path, error)) : resolve()));
  });
  await new Promise<void>((resolve) => {
    // A pty or some USB stacks refuse modem-line ioctls; the link works without them.
    port.set(options.lines, () => resolve());
  });
  return new SerialTransport(path, port);
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
          reject(
            error
              ? endedLinkError(this.description, error)
              : new TransportError(`${this.description} is closed`),
          ),
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
