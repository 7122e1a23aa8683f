// test/sim/serial-link.ts: open a pty with the serialport package as a ByteLink for tests.

import { SerialPort } from 'serialport';
import type { ByteLink } from './raw-client.js';

/** A serial port opened on `path`, with the ByteLink shape the test client uses. */
export interface SerialLink extends ByteLink {
  close(): Promise<void>;
}

export async function openSerialLink(path: string): Promise<SerialLink> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(error) : resolve())),
  );
  return {
    async write(data) {
      await new Promise<void>((resolve, reject) => {
        port.write(Buffer.from(data), (error) => {
          if (error) reject(error);
          else port.drain((drainError) => (drainError ? reject(drainError) : resolve()));
        });
      });
    },
    onData(listener) {
      const handler = (chunk: Buffer): void => listener(chunk);
      port.on('data', handler);
      return () => port.off('data', handler);
    },
    async close() {
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
