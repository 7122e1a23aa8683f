// src/transport/tty.ts: a serial port on Linux and macOS through serialport's native addon alone
// (@serialport/bindings-cpp's prebuilt .node), without the serialport package around it: that
// package loads its stream layer, a dozen parsers and `debug` (25-35 ms of every command's
// start here) for what is an fd, a poller and termios. Where the addon cannot be loaded this
// way, ./serial.ts (the serialport package) takes over.
import { read, readdirSync, write } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TransportError } from '../errors.js';
import { endedLinkError, LinkEvents } from './emitter.js';
import type { Transport } from './transport.js';

/** The parts of the native addon used here (bindings-cpp's src/serialport_unix.cpp). */
interface NativeAddon {
  open(path: string, options: object, callback: (error: Error | null, fd: number) => void): void;
  set(fd: number, options: object, callback: (error: Error | null) => void): void;
  drain(fd: number, callback: (error: Error | null) => void): void;
  close(fd: number, callback: (error: Error | null) => void): void;
  Poller: new (fd: number, callback: (error: Error | null, flags: number) => void) => NativePoller;
}

interface NativePoller {
  poll(flags: number): void;
  stop(): void;
  destroy(): void;
}

const READABLE = 0b01;
const WRITABLE = 0b10;

let loaded: NativeAddon | null | undefined;

/** The addon for this platform, or null where it is not shipped as a prebuild for it. */
export function nativeAddon(): NativeAddon | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.platform !== 'linux' && process.platform !== 'darwin') return loaded;
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@serialport/bindings-cpp/package.json'));
    // node-gyp-build's prebuild folders: linux-x64, linux-arm64, darwin-x64+arm64, ...
    const dir = readdirSync(join(root, 'prebuilds')).find(
      (d) =>
        d.startsWith(`${process.platform}-`) &&
        d
          .slice(process.platform.length + 1)
          .split('+')
          .includes(process.arch),
    );
    if (!dir) return loaded;
    const libc = process.platform === 'linux' ? (isMusl() ? 'musl' : 'glibc') : undefined;
    const files = readdirSync(join(root, 'prebuilds', dir)).filter((f) => f.endsWith('.node'));
    const file =
      files.find((f) => !libc || f.includes(`.${libc}.`)) ?? (libc ? undefined : files[0]);
    if (!file) return loaded;
    loaded = require(join(root, 'prebuilds', dir, file)) as NativeAddon;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** musl's dynamic loader is /lib/ld-musl-ARCH.so.1 (Alpine); glibc systems have none. */
function isMusl(): boolean {
  try {
    return readdirSync('/lib').some((name) => name.startsWith('ld-musl-'));
  } catch {
    return false;
  }
}

/** What `openTty` needs: the termios and modem-line settings ./serial.ts decides. */
export interface TtyOptions {
  baud: number;
  lock: boolean;
  dtr: boolean;
  rts: boolean;
}

function call<T>(start: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    start((error, value) => (error ? reject(error) : resolve(value))),
  );
}

/** Open `path` with the addon; errors are the addon's (./serial.ts words them). */
export async function openTty(
  addon: NativeAddon,
  path: string,
  options: TtyOptions,
): Promise<Transport> {
  const fd = await call<number>((done) =>
    addon.open(
      path,
      {
        baudRate: options.baud,
        dataBits: 8,
        stopBits: 1,
        parity: 'none',
        rtscts: false,
        xon: false,
        xoff: false,
        xany: false,
        hupcl: true,
        lock: options.lock,
        vmin: 1,
        vtime: 0,
      },
      done,
    ),
  );
  // A pty or some USB stacks refuse modem-line ioctls; the link works without them.
  await call<void>((done) =>
    addon.set(fd, { brk: false, cts: false, dsr: false, dtr: options.dtr, rts: options.rts }, done),
  ).catch(() => undefined);
  return new TtyTransport(path, fd, addon);
}

/** One open port: reads as the poller says the fd is readable, writes drained with tcdrain. */
class TtyTransport implements Transport {
  private readonly events = new LinkEvents();
  private readonly poller: NativePoller;
  private fd: number | null;
  /** Callbacks waiting for the poller, by flag. */
  private waiting: { [READABLE]: (() => void)[]; [WRITABLE]: (() => void)[] } = {
    [READABLE]: [],
    [WRITABLE]: [],
  };
  private reading: Promise<void>;
  private readonly buffer = Buffer.alloc(64 * 1024);

  constructor(
    readonly description: string,
    fd: number,
    private readonly addon: NativeAddon,
  ) {
    this.fd = fd;
    this.poller = new addon.Poller(fd, (error, flags) => this.polled(error, flags));
    this.reading = this.readLoop();
  }

  private polled(error: Error | null, flags: number): void {
    for (const flag of [READABLE, WRITABLE] as const) {
      if (!error && !(flags & flag)) continue;
      const callbacks = this.waiting[flag];
      this.waiting[flag] = [];
      for (const callback of callbacks) callback();
    }
    if (error) this.fail(error);
  }

  private until(flag: typeof READABLE | typeof WRITABLE): Promise<void> {
    return new Promise((resolve) => {
      this.waiting[flag].push(resolve);
      this.poller.poll(flag);
    });
  }

  private async readLoop(): Promise<void> {
    while (this.fd !== null) {
      const fd = this.fd;
      let bytesRead: number;
      try {
        bytesRead = await new Promise<number>((resolve, reject) =>
          read(fd, this.buffer, 0, this.buffer.length, null, (error, n) =>
            error ? reject(error) : resolve(n),
          ),
        );
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (this.fd === null) return;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') {
          await this.until(READABLE);
          continue;
        }
        this.fail(error as Error);
        return;
      }
      if (this.fd === null) return;
      // Raw mode (VMIN=1) never returns 0 bytes while the line is up: 0 is a hang-up (a pty
      // whose other end went, a USB stack that says so this way).
      if (bytesRead === 0) {
        this.fail(new Error('the other end hung up'));
        return;
      }
      this.events.data(Uint8Array.prototype.slice.call(this.buffer, 0, bytesRead));
    }
  }

  private fail(error: Error): void {
    if (this.events.closed) return;
    this.events.close(new TransportError(`${this.description} disconnected`, { cause: error }));
    void this.release();
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.events.closed || this.fd === null) {
      throw new TransportError(`${this.description} is closed`);
    }
    let offset = 0;
    const closed = new Promise<never>((_, reject) => {
      const off = this.events.onClose((error) => {
        off();
        reject(
          error
            ? endedLinkError(this.description, error)
            : new TransportError(`${this.description} is closed`),
        );
      });
    });
    closed.catch(() => undefined);
    const attempt = async (): Promise<void> => {
      while (offset < data.length) {
        const fd = this.fd;
        if (fd === null) throw new TransportError(`${this.description} is closed`);
        try {
          offset += await new Promise<number>((resolve, reject) =>
            write(fd, data, offset, data.length - offset, (error, n) =>
              error ? reject(error) : resolve(n),
            ),
          );
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') {
            throw new TransportError(`writing to ${this.description}: ${(error as Error).message}`);
          }
          await this.until(WRITABLE);
        }
      }
      // Resolve once the bytes left (tcdrain), as the serialport transport does: plain raw
      // mode paces itself on it.
      const fd = this.fd;
      if (fd !== null)
        await call<void>((done) => this.addon.drain(fd, done)).catch(() => undefined);
    };
    await Promise.race([attempt(), closed]);
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    this.events.close();
    await this.release();
  }

  /** Stop polling, let a read in the thread pool return (the fd is non-blocking), close. */
  private async release(): Promise<void> {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    this.poller.stop();
    this.poller.destroy();
    for (const flag of [READABLE, WRITABLE] as const) {
      for (const callback of this.waiting[flag]) callback();
      this.waiting[flag] = [];
    }
    await this.reading.catch(() => undefined);
    await call<void>((done) => this.addon.close(fd, done)).catch(() => undefined);
  }
}
