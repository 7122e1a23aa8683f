// src/sim/webrepl.ts: serve a virtual board over WebREPL on a local port, doing what a real
// board's webrepl.py and modwebrepl.c do (quirks included), so `ws://` is tested end to end.
import { createServer, type Socket } from 'node:net';
import type { Transport } from '../transport/transport.js';
import type { VirtualBoard } from './board.js';
import { encodeFrame, FrameParser, HTML_PAGE, OPCODE, upgradeResponse } from './ws-frames.js';

/** How to serve. */
export interface WebreplOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one (see `WebreplServer.port`). */
  port?: number;
  /** The board's WebREPL password: at most 9 bytes, as `_webrepl.password()` requires. */
  password: string;
  /** One-way latency added to each direction, as WiFi adds it. */
  latencyMs?: number;
}

/** A listening WebREPL front for a board. */
export interface WebreplServer {
  port: number;
  /** TCP payload bytes each way (HTTP, frame headers and masks included), for the bench. */
  readonly counters: { toBoard: number; toHost: number };
  /** The WiFi goes quiet: nothing passes either way from now on, and neither end is told (a
   * half-open link). For tests of timeouts. */
  silence(): void;
  /** Stop listening and drop the client. Idempotent. */
  close(): Promise<void>;
}

/** modwebrepl.c's prompts, byte for byte. */
const PASSWORD_PROMPT = 'Password: ';
const CONNECTED_PROMPT = '\r\nWebREPL connected\r\n>>> ';
const DENIED_PROMPT = '\r\nAccess denied\r\n';
/** `webrepl_passwd[10]`: the typed password is kept to 10 bytes, the set one to 9. */
const PASSWORD_MAX = 9;
/** What the board prints when it soft-reboots; its sockets close with it. */
const SOFT_REBOOT = 'MPY: soft reboot\r\n';

/**
 * Serve `board` as a WebREPL board would: one client at a time, the password first, REPL bytes
 * in text frames both ways. Output is sent in one text frame per chunk the board wrote.
 * Behaviours of real boards kept on purpose: upgrade header names are case-sensitive (others get
 * the HTML page); pings are not answered; a close frame with a status gets an empty close and
 * the TCP socket stays open; a second client is closed without a word while the first is told;
 * a soft reboot closes the connection. Binary frames carry the `WA` file protocol (see
 * `FileProtocol`), done on the board's flash.
 */
export async function serveWebrepl(
  board: VirtualBoard,
  options: WebreplOptions,
): Promise<WebreplServer> {
  if (Buffer.byteLength(options.password) > PASSWORD_MAX || options.password.length === 0) {
    throw new RangeError(`a WebREPL password is 1 to ${PASSWORD_MAX} bytes`);
  }
  let client: WebreplClient | undefined;
  const counters = { toBoard: 0, toHost: 0 };
  const accept = (socket: Socket) => {
    if (socket.destroyed) return;
    socket.on('data', (chunk) => {
      counters.toBoard += chunk.length;
    });
    if (client && !client.ended) {
      // webrepl.py's accept_conn: the board prints to its current terminal and closes the new
      // socket before any HTTP.
      client.print(
        `\r\nConcurrent WebREPL connection from ('${socket.remoteAddress}', ${socket.remotePort}) rejected\r\n`,
      );
      socket.destroy();
      return;
    }
    client = new WebreplClient(socket, board, options, (count) => {
      counters.toHost += count;
    });
  };
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    // The connection reaches the board a latency later, as the previous client's FIN does: a
    // client that reconnects at once is not refused by its own last connection. Its bytes wait
    // in the socket meanwhile (no 'data' listener yet).
    const delay = options.latencyMs ?? 0;
    if (delay > 0) setTimeout(() => accept(socket), delay);
    else accept(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  let closed = false;
  return {
    port: bound,
    counters,
    silence() {
      client?.silence();
    },
    async close() {
      if (closed) return;
      closed = true;
      client?.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type State = 'handshake' | 'password' | 'normal' | 'closing';

/** One client socket, from the HTTP upgrade to its end. */
class WebreplClient {
  private state: State = 'handshake';
  private head = '';
  private readonly parser = new FrameParser();
  private typed = '';
  private link: Transport | undefined;
  /** The tail of the board's output, to see `soft reboot` split across writes. */
  private tail = '';
  ended = false;
  /** `silence()`d: bytes are dropped both ways, the socket stays open. */
  private silent = false;
  private readonly files: FileProtocol;

  constructor(
    private readonly socket: Socket,
    private readonly board: VirtualBoard,
    private readonly options: WebreplOptions,
    private readonly sent: (count: number) => void,
  ) {
    this.files = new FileProtocol(
      (op, path, data) => this.board.fileOp(op, path, data),
      (payload) => this.send(OPCODE.binary, payload),
      () => this.end(),
    );
    socket.on('data', (chunk) => this.later(() => this.receive(chunk)));
    // The client's FIN: the board's socket read returns EOF and dupterm lets go.
    socket.on('end', () => this.later(() => this.end()));
    socket.on('error', () => this.end());
    socket.on('close', () => this.end());
  }

  /** Text to the client's terminal, as the board's `print` through dupterm. */
  print(text: string): void {
    if (this.state === 'normal') this.send(OPCODE.text, Buffer.from(text, 'latin1'));
  }

  silence(): void {
    this.silent = true;
  }

  /** Drop the socket and the board's link. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.state = 'closing';
    void this.link?.close();
    this.link = undefined;
    this.later(() => this.socket.destroy());
  }

  /** Run `step` after the one-way latency; equal delays keep their order (Node's timer lists). */
  private later(step: () => void): void {
    const delay = this.options.latencyMs ?? 0;
    if (delay > 0) setTimeout(step, delay);
    else step();
  }

  private send(opcode: number, payload: Uint8Array): void {
    this.write(encodeFrame(opcode, payload));
  }

  private write(data: string | Buffer, end = false): void {
    this.later(() => {
      if (this.socket.destroyed || this.silent) return;
      this.sent(Buffer.byteLength(data));
      if (end) this.socket.end(data);
      else this.socket.write(data);
    });
  }

  private receive(chunk: Buffer): void {
    if (this.ended || this.silent) return;
    if (this.state === 'handshake') {
      this.head += chunk.toString('latin1');
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const rest = Buffer.from(this.head.slice(end + 4), 'latin1');
      const response = upgradeResponse(this.head.slice(0, end));
      if (!response) {
        this.ended = true;
        this.write(HTML_PAGE, true);
        return;
      }
      this.write(response);
      this.state = 'password';
      this.send(OPCODE.text, Buffer.from(PASSWORD_PROMPT));
      if (rest.length === 0) return;
      chunk = rest;
    }
    for (const frame of this.parser.push(chunk)) this.onFrame(frame.opcode, frame.payload);
  }

  private onFrame(opcode: number, payload: Buffer): void {
    if (this.ended) return;
    switch (opcode) {
      case OPCODE.close:
        // modwebsocket.c answers a close frame with an empty one; the socket stays open until
        // the client closes it.
        this.send(OPCODE.close, Buffer.alloc(0));
        this.state = 'closing';
        void this.link?.close();
        this.link = undefined;
        return;
      case OPCODE.ping:
      case OPCODE.pong:
        // Real boards never answer pings: a client that waits for a pong waits forever.
        return;
      case OPCODE.binary:
        if (this.state === 'normal') this.files.receive(payload);
        return;
      default:
        if (this.state === 'password') this.typePassword(payload);
        else if (this.state === 'normal') void this.link?.write(payload).catch(() => this.end());
    }
  }

  /** modwebrepl.c's STATE_PASSWD: bytes up to `\r` or `\n`, the rest of the frame lost. */
  private typePassword(payload: Buffer): void {
    for (const byte of payload) {
      if (byte !== 13 && byte !== 10) {
        if (this.typed.length < PASSWORD_MAX + 1) this.typed += String.fromCharCode(byte);
        continue;
      }
      if (this.typed !== Buffer.from(this.options.password).toString('latin1')) {
        this.send(OPCODE.text, Buffer.from(DENIED_PROMPT));
        this.end();
        return;
      }
      this.state = 'normal';
      this.send(OPCODE.text, Buffer.from(CONNECTED_PROMPT));
      this.attach();
      // The bytes after the password in the same frame go to the REPL, as on the board.
      const rest = payload.subarray(payload.indexOf(byte) + 1);
      if (rest.length) void this.link?.write(rest).catch(() => this.end());
      return;
    }
  }

  private attach(): void {
    let link: Transport;
    try {
      link = this.board.connect();
    } catch {
      this.end();
      return;
    }
    this.link = link;
    link.onData((data) => {
      if (this.state !== 'normal') return;
      this.send(OPCODE.text, data);
      this.tail = (this.tail + Buffer.from(data).toString('latin1')).slice(-SOFT_REBOOT.length);
      if (this.tail === SOFT_REBOOT) this.end();
    });
    link.onClose((error) => {
      if (error) this.end();
    });
  }
}

/** `struct webrepl_file`: sig[2] `WA`, type, flags, offset u64, size u32, fname_len u16,
 * fname[64], little-endian and packed. */
export const WA_HEADER = 82;
export const WA_PUT = 1;
export const WA_GET = 2;
export const WA_GET_VER = 3;
/** GET_VER's answer: the port's MicroPython version (major, minor, micro). */
const VERSION = [1, 27, 0];
/** GET's chunks: modwebrepl.c reads the file 256 bytes at a time. */
const GET_CHUNK = 256;
/** The board's file buffer (`filebuf[512]`): a PUT frame one byte over a multiple of it loses
 * the file's last byte when that frame ends the file. */
const FILE_BUFFER = 512;

type FileOp = (
  op: 'open' | 'append' | 'read',
  path: string,
  data?: Uint8Array,
) => Promise<Uint8Array | undefined>;

/**
 * modwebrepl.c's side of the file protocol, on the binary frames' bytes (a header may span
 * frames, as webrepl_cli.py sends it in two): PUT opens (truncates) the file and answers
 * `WB 00 00`, writes data as frames arrive and answers `WB 00 00` after the last byte; GET
 * answers `WB 00 00`, then one chunk (u16 length, up to 256 bytes) for each byte the client
 * sends, a zero length at the end and `WB 00 00`; GET_VER answers 3 version bytes. A file the
 * board cannot open (a GET of a missing file, a PUT into a missing folder) raises in the
 * board's stream read: the connection closes.
 */
export class FileProtocol {
  private header = Buffer.alloc(0);
  private put: { path: string; left: number } | undefined;
  private get: { data: Uint8Array; at: number } | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly fileOp: FileOp,
    private readonly reply: (payload: Uint8Array) => void,
    private readonly fail: () => void,
  ) {}

  /** One binary frame's payload; done in order after what came before. */
  receive(payload: Buffer): void {
    this.queue = this.queue.then(() => this.frame(payload)).catch(() => this.fail());
  }

  private async frame(payload: Buffer): Promise<void> {
    let rest = payload;
    while (rest.length > 0) {
      if (this.put) {
        const take = Math.min(rest.length, this.put.left);
        let data = rest.subarray(0, take);
        this.put.left -= take;
        // filebuf[512]: the frame's last byte after a full buffer is lost, the answer still 0
        if (
          this.put.left === 0 &&
          payload.length > FILE_BUFFER &&
          payload.length % FILE_BUFFER === 1
        ) {
          data = data.subarray(0, data.length - 1);
        }
        if (data.length) await this.fileOp('append', this.put.path, data);
        rest = rest.subarray(take);
        if (this.put.left === 0) {
          this.put = undefined;
          this.reply(wbStatus(0));
        }
        continue;
      }
      if (this.get) {
        // each byte the client sends asks for the next chunk
        for (let i = 0; i < rest.length && this.get; i++) this.sendChunk();
        return;
      }
      const need = WA_HEADER - this.header.length;
      this.header = Buffer.concat([this.header, rest.subarray(0, need)]);
      rest = rest.subarray(need);
      if (this.header.length === WA_HEADER) {
        const header = this.header;
        this.header = Buffer.alloc(0);
        await this.operation(header);
      }
    }
  }

  private async operation(header: Buffer): Promise<void> {
    const type = header[2];
    if (type === WA_GET_VER) {
      this.reply(Buffer.from(VERSION));
      return;
    }
    const size = header.readUInt32LE(12);
    const nameLength = Math.min(header.readUInt16LE(16), 64);
    const path = header
      .subarray(18, 18 + nameLength)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (type === WA_PUT) {
      await this.fileOp('open', path);
      this.reply(wbStatus(0));
      // size 0: no data, so no second answer (the board keeps the file open)
      if (size > 0) this.put = { path, left: size };
      return;
    }
    if (type === WA_GET) {
      const data = (await this.fileOp('read', path)) ?? new Uint8Array(0);
      this.get = { data, at: 0 };
      this.reply(wbStatus(0));
      return;
    }
    // an unknown type: the board opens the file for reading and waits; nothing answers
  }

  private sendChunk(): void {
    const get = this.get!;
    const chunk = get.data.subarray(get.at, get.at + GET_CHUNK);
    get.at += chunk.length;
    const frame = Buffer.alloc(2 + chunk.length);
    frame.writeUInt16LE(chunk.length, 0);
    frame.set(chunk, 2);
    this.reply(frame);
    if (chunk.length === 0) {
      this.get = undefined;
      this.reply(wbStatus(0));
    }
  }
}

/** `WB` and a u16 status (0: done). */
function wbStatus(code: number): Buffer {
  const reply = Buffer.from('WB\0\0', 'latin1');
  reply.writeUInt16LE(code, 2);
  return reply;
}
