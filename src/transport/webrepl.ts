// src/transport/webrepl.ts: a Transport over WebREPL (`ws://host[:port]`), a board's REPL on
// WiFi: log in with the password, then REPL bytes ride in WebSocket text frames both ways.
import { createRequire } from 'node:module';
import { type NetConnectOpts, connect as netConnect, type Socket } from 'node:net';
import type WebSocket from 'ws';
import { TransportError, UsageError } from '../errors.js';
import { LinkEvents } from './emitter.js';
import type { Transport } from './transport.js';
import { type FileProtocol, WaFiles } from './webrepl-files.js';

/** What opening a WebREPL link needs besides the URL. */
export interface WebreplLogin {
  /** The board's password; asked for with `askPassword` when unset. */
  password?: string | undefined;
  /** Ask the user (a hidden prompt on a TTY); unset: a missing password is an error. */
  askPassword?: (() => Promise<string>) | undefined;
  /**
   * REPL input to send right after the password, without waiting for the board's verdict (a
   * round trip sooner): the board reads the password byte by byte up to its `\r` and takes what
   * follows as REPL input. Sent on the first login only, not after a soft reboot.
   */
  afterLogin?: Uint8Array | undefined;
  /** Called once the first connection is under way: what is left is the network's round trips
   * (upgrade, login), time the caller may use to load what it needs next. */
  whileWaiting?: (() => void) | undefined;
}

/** webrepl.py's default port. */
const DEFAULT_PORT = 8266;
/** modwebrepl.c keeps 9 bytes of password (`webrepl_passwd[10]`): longer ones never match. */
const PASSWORD_MAX = 9;
/** Text frames sent at most this long: boards read frames into small buffers. */
const FRAME_MAX = 1024;
/** Connect + HTTP upgrade + login, each. A board on WiFi answers in tens of ms. */
const LOGIN_MS = 5000;
/** A board still closing the previous client's socket refuses the next one: retry this often. */
const BUSY_RETRIES = 4;
const BUSY_DELAY_MS = 150;
/** Tries (at most 600 ms apart) to log in again after a soft reboot: about 10 s. */
const REBOOT_RETRIES = 20;
/** What a board prints as it soft-reboots (`MPY: soft reboot`). */
const SOFT_REBOOT = 'soft reboot\r\n';

/** Upload bytes in flight: with WiFi's tens of ms per round trip, 16 KB keeps ~400 KB/s going.
 * ESP32 and RP2 boards read WebREPL input from the socket as they need it (lwIP holds the
 * rest); the board layer knows the ESP8266, which does not. */
const IN_FLIGHT = 16 * 1024;

const PASSWORD_PROMPT = 'Password: ';
const CONNECTED = '\r\nWebREPL connected\r\n>>> ';
const DENIED = 'Access denied';

/** The URL to connect to: `ws://HOST[:PORT][/]`, port 8266 by default. UsageError if malformed. */
export function webreplUrl(device: string): string {
  const match = /^ws:\/\/(\[[^\]]+\]|[^:/[\]]+)(?::(\d+))?\/?$/.exec(device);
  const port = match ? Number(match[2] ?? DEFAULT_PORT) : Number.NaN;
  if (!match || !(port > 0 && port < 65536)) {
    throw new UsageError(`bad WebREPL device ${device}: expected ws://HOST[:PORT]`);
  }
  return `ws://${match[1]}:${port}/`;
}

/**
 * Connect to a WebREPL board and log in. Throws UsageError for a malformed device or a password
 * that cannot be right, TransportError when the board cannot be reached, is busy with another
 * client, is not a WebREPL board, or denies the password.
 */
export async function openWebrepl(device: string, login: WebreplLogin = {}): Promise<Transport> {
  const url = webreplUrl(device);
  let password = login.password;
  if (password === undefined) {
    if (!login.askPassword) {
      throw new UsageError(
        `${device}: WebREPL needs a password (--password or MPY_WEBREPL_PASSWORD)`,
      );
    }
    password = await login.askPassword();
  }
  if (Buffer.byteLength(password) > PASSWORD_MAX) {
    throw new UsageError(`${device}: a WebREPL password is at most ${PASSWORD_MAX} bytes`);
  }
  // The first TCP connection is dialled before ws loads, so its round trip and the board's
  // accept overlap the ~12 ms that takes. Later attempts (retries, redials) dial their own.
  const { hostname, port } = new URL(url);
  let predialed: Socket | undefined = netConnect({
    host: hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(port),
  });
  // An error before ws takes the socket over destroys it, and ws then dials again and reports
  // the error itself (a refused connection, an unknown host) as for any other attempt.
  predialed.on('error', () => {});
  const dialled = ((options: NetConnectOpts): Socket => {
    const socket = predialed;
    predialed = undefined;
    return socket && !socket.destroyed ? socket : netConnect(options);
  }) as typeof netConnect;
  // Loaded here, not at startup: commands on other links do not pay for it. Through require:
  // ws is CommonJS, and its ESM wrapper takes twice as long to load.
  const WebSocketClient = createRequire(import.meta.url)('ws') as typeof WebSocket;
  let after: Uint8Array | undefined = login.afterLogin?.length ? login.afterLogin : undefined;
  let waiting = login.whileWaiting;
  const dial = async (retries: number, refusedToo: boolean): Promise<LoggedIn> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const loggingIn = connect(WebSocketClient, url, device, password, after, dialled);
        waiting?.();
        waiting = undefined;
        return await loggingIn;
      } catch (error) {
        const again = error instanceof BusyError || (refusedToo && error instanceof RefusedError);
        if (!again || attempt >= retries) throw error;
        await new Promise((resolve) =>
          setTimeout(resolve, BUSY_DELAY_MS * Math.min(attempt + 1, 4)),
        );
      }
    }
  };
  const first = await dial(BUSY_RETRIES, false);
  const sentAtOpen = after;
  after = undefined;
  // After a soft reboot the board restarts WebREPL (boot.py) within a few seconds.
  const redial = () => dial(REBOOT_RETRIES, true);
  return new WebreplTransport(device, first, WebSocketClient.OPEN, redial, sentAtOpen);
}

/** A socket past the login, and what came after the login's last frame: frames the board sent
 * in the same packet (ws emits them before the transport listens), and whether it closed. */
interface LoggedIn {
  socket: WebSocket;
  held: { frames: Array<{ data: Buffer; isBinary: boolean }>; closed: boolean };
}

/** Nothing listens on the port (yet: a rebooting board). */
class RefusedError extends TransportError {}

/** The board closed the socket before saying anything: it has a client already. */
class BusyError extends TransportError {}

/**
 * Upgrade, answer `Password: `, wait for the board's verdict. Listeners are on from the start:
 * the prompt can come in the same packet as the 101 answer, before 'open' has been handled.
 */
function connect(
  WebSocketClass: typeof WebSocket,
  url: string,
  device: string,
  password: string,
  after: Uint8Array | undefined,
  createConnection: typeof netConnect,
): Promise<LoggedIn> {
  // No compression (boards have none) and no UTF-8 checks: raw REPL output is binary data in
  // text frames.
  const socket = new WebSocketClass(url, {
    perMessageDeflate: false,
    skipUTF8Validation: true,
    handshakeTimeout: LOGIN_MS,
    createConnection,
  });
  return new Promise((resolve, reject) => {
    let text = '';
    let sent = false;
    let opened = false;
    const timer = setTimeout(
      () => fail(new TransportError(`${device}: no WebREPL login (got ${JSON.stringify(text)})`)),
      LOGIN_MS,
    );
    const detach = () => {
      clearTimeout(timer);
      socket.removeAllListeners();
      // An 'error' nobody listens to would throw; the transport adds its own listeners.
      socket.on('error', () => {});
    };
    const fail = (error: Error) => {
      detach();
      socket.terminate();
      reject(error);
    };
    socket.once('open', () => {
      opened = true;
    });
    socket.once('unexpected-response', (_request, response) => {
      fail(
        new TransportError(
          `${device} is not a WebREPL board (it answered HTTP ${response.statusCode} instead of upgrading)`,
        ),
      );
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (opened) return; // 'close' follows and says what happened
      if (error.code === 'ECONNRESET' || /socket hang up/.test(error.message)) {
        fail(new BusyError(`${device} is busy: the board serves one WebREPL client at a time`));
        return;
      }
      if (error.code === 'ECONNREFUSED') {
        const why = 'connection refused (is WebREPL started on the board?)';
        fail(new RefusedError(`cannot connect to ${device}: ${why}`, { cause: error }));
        return;
      }
      fail(new TransportError(`cannot connect to ${device}: ${error.message}`, { cause: error }));
    });
    socket.on('close', () => {
      fail(
        text
          ? new TransportError(`${device} closed the connection during login`)
          : new BusyError(`${device} is busy: the board serves one WebREPL client at a time`),
      );
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      text += data.toString('latin1');
      if (!sent && text.includes(PASSWORD_PROMPT)) {
        sent = true;
        // `\r` ends the password; a `\n` after it would reach the REPL as an empty line.
        socket.send(Buffer.from(`${password}\r`), { binary: false });
        if (after) socket.send(after, { binary: false });
      }
      if (text.includes(DENIED)) {
        fail(new TransportError(`${device}: access denied (wrong WebREPL password)`));
        return;
      }
      const at = text.indexOf(CONNECTED);
      if (at < 0) return;
      detach();
      // The board's next frames (the raw REPL banner) can be in this packet: ws emits them at
      // once, before the transport's listeners exist. Hold them for it.
      const rest = Buffer.from(text.slice(at + CONNECTED.length), 'latin1');
      const held: LoggedIn['held'] = { frames: [{ data: rest, isBinary: false }], closed: false };
      socket.on('message', (frame: Buffer, binary: boolean) => {
        held.frames.push({ data: frame, isBinary: binary });
      });
      socket.on('close', () => {
        held.closed = true;
      });
      resolve({ socket, held });
    });
  });
}

class WebreplTransport implements Transport {
  /** TCP holds back what the board has not read; this bounds what waits on our side. */
  readonly bufferedBytes = IN_FLIGHT;
  private readonly events = new LinkEvents();
  private readonly reconnected = new Set<() => void>();
  private readonly binary = new Set<(data: Uint8Array) => void>();
  /** The board's own file protocol (`WA` frames), for the board layer to use where it pays. */
  readonly files: FileProtocol = new WaFiles(this);
  private socket!: WebSocket;
  private closing = false;
  /** The end of the board's output, to tell a soft reboot's close from a lost link. */
  private tail = '';
  /** Set while logging in again after a soft reboot; writes wait for it. */
  private redialing: Promise<void> | undefined;

  constructor(
    readonly description: string,
    first: LoggedIn,
    private readonly open: number,
    private readonly redial: () => Promise<LoggedIn>,
    readonly sentAtOpen?: Uint8Array,
  ) {
    this.attach(first);
  }

  private attach({ socket, held }: LoggedIn): void {
    this.socket = socket;
    socket.removeAllListeners('message');
    socket.removeAllListeners('close');
    let failure: Error | undefined;
    const message = (data: Buffer, isBinary: boolean) => {
      // Binary frames are the board's file protocol answers, not REPL output.
      if (!isBinary) this.received(data);
      else for (const listener of this.binary) listener(data);
    };
    const closed = () => {
      if (this.closing) this.events.close();
      else if (this.tail.endsWith(SOFT_REBOOT)) this.redialAfterReboot();
      else this.events.close(failure ?? new TransportError(`${this.description} closed`));
    };
    socket.on('message', message);
    socket.on('error', (error) => {
      failure = new TransportError(`${this.description}: ${error.message}`, { cause: error });
    });
    socket.on('close', closed);
    for (const frame of held.frames) if (frame.data.length) message(frame.data, frame.isBinary);
    if (held.closed) closed();
  }

  /**
   * A board closes WebREPL when it soft-reboots (its sockets go with the heap) and starts it
   * again from boot.py: log in again, so the link survives a soft reset as a cable does. The
   * board's banner after the reboot went to its UART only: `onReconnect` listeners resync.
   */
  private redialAfterReboot(): void {
    this.tail = '';
    this.redialing = this.redial().then(
      (next) => {
        this.redialing = undefined;
        if (this.closing) {
          next.socket.terminate();
          return;
        }
        this.attach(next);
        for (const listener of this.reconnected) listener();
      },
      (error: unknown) => {
        this.redialing = undefined;
        const why = error instanceof Error ? error.message : String(error);
        this.events.close(
          new TransportError(`${this.description} did not come back after a soft reboot: ${why}`),
        );
      },
    );
  }

  private received(data: Uint8Array): void {
    this.tail = (this.tail + Buffer.from(data).toString('latin1')).slice(-SOFT_REBOOT.length);
    this.events.data(data);
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.redialing) await this.redialing;
    if (this.events.closed || this.socket.readyState !== this.open) {
      throw new TransportError(`${this.description} is closed`);
    }
    // The board takes REPL input from text frames only (binary ones are its file protocol).
    for (let start = 0; start < data.length; start += FRAME_MAX) {
      const frame = data.subarray(start, start + FRAME_MAX);
      await new Promise<void>((resolve, reject) => {
        this.socket.send(frame, { binary: false }, (error) =>
          error
            ? reject(new TransportError(`writing to ${this.description}: ${error.message}`))
            : resolve(),
        );
      });
    }
  }

  /** One binary frame (the board's file protocol). */
  async sendBinary(data: Uint8Array): Promise<void> {
    if (this.redialing) await this.redialing;
    if (this.events.closed || this.socket.readyState !== this.open) {
      throw new TransportError(`${this.description} is closed`);
    }
    await new Promise<void>((resolve, reject) => {
      this.socket.send(data, { binary: true }, (error) =>
        error
          ? reject(new TransportError(`writing to ${this.description}: ${error.message}`))
          : resolve(),
      );
    });
  }

  onBinary(listener: (data: Uint8Array) => void): () => void {
    this.binary.add(listener);
    return () => this.binary.delete(listener);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnected.add(listener);
    return () => this.reconnected.delete(listener);
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    if (this.events.closed) return;
    this.closing = true;
    if (this.redialing) await this.redialing;
    if (this.events.closed) return;
    if (this.socket.readyState !== this.open) {
      this.events.close();
      return;
    }
    // The board answers a close frame with an empty one but leaves its socket open, so ws would
    // wait 30 s for the TCP close: send the close frame, then end the socket ourselves (the frame
    // is already with the kernel, which sends it before the FIN).
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close(1000);
      setImmediate(() => this.socket.terminate());
    });
    this.events.close();
  }
}
