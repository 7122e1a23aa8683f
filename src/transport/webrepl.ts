// src/transport/webrepl.ts: a Transport over WebREPL (`ws://host[:port]`), a board's REPL on
// WiFi: log in with the password, then REPL bytes ride in WebSocket text frames both ways.
import type WebSocket from 'ws';
import { TransportError, UsageError } from '../errors.js';
import { LinkEvents } from './emitter.js';
import type { Transport } from './transport.js';

/** What opening a WebREPL link needs besides the URL. */
export interface WebreplLogin {
  /** The board's password; asked for with `askPassword` when unset. */
  password?: string | undefined;
  /** Ask the user (a hidden prompt on a TTY); unset: a missing password is an error. */
  askPassword?: (() => Promise<string>) | undefined;
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

/** Upload bytes in flight: with WiFi's tens of ms per round trip, 16 KB keeps ~400 KB/s going. */
const IN_FLIGHT = 16 * 1024;

const PASSWORD_PROMPT = 'Password: ';
const CONNECTED = '\r\nWebREPL connected\r\n>>> ';
const DENIED = 'Access denied';

/** True for `ws://…`. */
export function isWebreplDevice(device: string): boolean {
  return device.startsWith('ws://');
}

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
  // Loaded here, not at startup: commands on other links do not pay for it.
  const { WebSocket } = await import('ws');
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect(WebSocket, url, device, password);
    } catch (error) {
      if (!(error instanceof BusyError) || attempt >= BUSY_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, BUSY_DELAY_MS * (attempt + 1)));
    }
  }
}

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
): Promise<WebreplTransport> {
  // No compression (boards have none) and no UTF-8 checks: raw REPL output is binary data in
  // text frames.
  const socket = new WebSocketClass(url, {
    perMessageDeflate: false,
    skipUTF8Validation: true,
    handshakeTimeout: LOGIN_MS,
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
      const why =
        error.code === 'ECONNREFUSED'
          ? 'connection refused (is WebREPL started on the board?)'
          : error.message;
      fail(new TransportError(`cannot connect to ${device}: ${why}`, { cause: error }));
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
      }
      if (text.includes(DENIED)) {
        fail(new TransportError(`${device}: access denied (wrong WebREPL password)`));
        return;
      }
      const at = text.indexOf(CONNECTED);
      if (at < 0) return;
      detach();
      const transport = new WebreplTransport(device, socket, WebSocketClass.OPEN);
      const rest = Buffer.from(text.slice(at + CONNECTED.length), 'latin1');
      if (rest.length) transport.received(rest);
      resolve(transport);
    });
  });
}

class WebreplTransport implements Transport {
  /** TCP holds back what the board has not read; this bounds what waits on our side. */
  readonly bufferedBytes = IN_FLIGHT;
  private readonly events = new LinkEvents();
  private closing = false;

  constructor(
    readonly description: string,
    private readonly socket: WebSocket,
    private readonly open: number,
  ) {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      // Binary frames are the board's file protocol answers, not REPL output.
      if (!isBinary) this.events.data(data);
    });
    socket.on('error', (error) => {
      this.events.close(new TransportError(`${description}: ${error.message}`, { cause: error }));
    });
    socket.on('close', () => {
      this.events.close(this.closing ? undefined : new TransportError(`${description} closed`));
    });
  }

  async write(data: Uint8Array): Promise<void> {
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

  /** REPL bytes that came with the login's last frame. */
  received(data: Uint8Array): void {
    this.events.data(data);
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
