// src/transport/hangup.ts: a serialport binding that notices a hung-up tty. serialport's unix
// read retries forever when read() returns 0 bytes, which is what a pty (the virtual board, socat)
// or some USB stacks give after the other end has gone: a busy loop and no 'close' event. Here a
// 0-byte read ends the link as a disconnect, like the ENXIO of an unplugged USB device.
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';

const readAsync = promisify(read);

type Binding = typeof SerialPort.binding;
/** The detected binding's open, without the per-platform union of option types. */
const openPlatformPort = SerialPort.binding.open.bind(SerialPort.binding) as (
  options: object,
) => Promise<object & { read: UnixReadFunction }>;
type UnixReadFunction = (
  buffer: Buffer,
  offset: number,
  length: number,
) => Promise<{ buffer: Buffer; bytesRead: number }>;

/** What the read below needs from a unix port binding. */
interface UnixPort {
  fd: number | null;
  readonly isOpen: boolean;
  poller: { once(event: 'readable', callback: (error?: Error | null) => void): unknown };
}

function isUnixPort(port: object): port is UnixPort {
  return 'poller' in port && 'fd' in port;
}

function tagged(message: string, flags: { canceled?: boolean; disconnect?: boolean }): Error {
  return Object.assign(new Error(message), flags);
}

async function readOrHangUp(
  port: UnixPort,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw tagged('Port is not open', { canceled: true });
    try {
      const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
      // Raw mode (VMIN=1) never returns 0 bytes while the line is up: 0 is end of file.
      if (bytesRead === 0) throw tagged('the other end hung up', { disconnect: true });
      return { buffer, bytesRead };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
      if (!port.isOpen) throw tagged('Port is not open', { canceled: true });
      await new Promise<void>((resolve, reject) => {
        port.poller.once('readable', (pollError) => (pollError ? reject(pollError) : resolve()));
      });
    }
  }
}

/** The platform binding, with the hang-up-aware read on unix. */
export const hangupAwareBinding = {
  ...SerialPort.binding,
  async open(options: object) {
    const port = await openPlatformPort(options);
    if (isUnixPort(port)) {
      const unix = port;
      port.read = (buffer, offset, length) => readOrHangUp(unix, buffer, offset, length);
    }
    return port;
  },
} as Binding;
