// src/transport/hangup.ts: a serialport binding that notices a hung-up tty. serialport's unix
// read retries forever when read() returns 0 bytes, which is what a pty (the virtual board, socat)
// or some USB stacks give after the other end has gone: a busy loop and no 'close' event. Here a
// 0-byte read ends the link as a disconnect, like the ENXIO of an unplugged USB device.
// Its close also waits for a read already in the thread pool: closing the fd under it kept the
// port's flock until that read returned (the next open in this process was told the port was
// busy), and a read that ran after the fd number was reused would take the next link's bytes.
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

/** `fs.read` as the port's reads use it (a test passes its own). */
export type ReadFd = (
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: null,
) => Promise<{ bytesRead: number }>;

/** What the read below needs from a unix port binding. */
export interface UnixPort {
  fd: number | null;
  readonly isOpen: boolean;
  poller: { once(event: 'readable', callback: (error?: Error | null) => void): unknown };
  close(): Promise<void>;
}

/** The read in flight on a port, and whether its close has begun. */
interface ReadState {
  inFlight: Promise<unknown> | undefined;
  closing: boolean;
}

function isUnixPort(port: object): port is UnixPort {
  return 'poller' in port && 'fd' in port;
}

function tagged(message: string, flags: { canceled?: boolean; disconnect?: boolean }): Error {
  return Object.assign(new Error(message), flags);
}

async function readOrHangUp(
  port: UnixPort,
  state: ReadState,
  readFd: ReadFd,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (state.closing || !port.isOpen || port.fd === null) {
      throw tagged('Port is not open', { canceled: true });
    }
    try {
      const reading = readFd(port.fd, buffer, offset, length, null);
      state.inFlight = reading.catch(() => undefined);
      const { bytesRead } = await reading;
      // Raw mode (VMIN=1) never returns 0 bytes while the line is up: 0 is end of file.
      if (bytesRead === 0) throw tagged('the other end hung up', { disconnect: true });
      return { buffer, bytesRead };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
      if (state.closing || !port.isOpen) throw tagged('Port is not open', { canceled: true });
      await new Promise<void>((resolve, reject) => {
        port.poller.once('readable', (pollError) => (pollError ? reject(pollError) : resolve()));
      });
    }
  }
}

/** Give a unix port binding the hang-up-aware read, and a close that waits for it. */
export function guardUnixPort(
  port: UnixPort & { read: UnixReadFunction },
  readFd: ReadFd = readAsync,
): void {
  const state: ReadState = { inFlight: undefined, closing: false };
  const close = port.close.bind(port);
  port.read = (buffer, offset, length) => readOrHangUp(port, state, readFd, buffer, offset, length);
  port.close = async () => {
    state.closing = true;
    // non-blocking: the read returns at once (data or EAGAIN) once the pool runs it
    await state.inFlight;
    await close();
  };
}

/** The platform binding, with the hang-up-aware read on unix. */
export const hangupAwareBinding = {
  ...SerialPort.binding,
  async open(options: object) {
    const port = await openPlatformPort(options);
    if (isUnixPort(port)) guardUnixPort(port);
    return port;
  },
} as Binding;
