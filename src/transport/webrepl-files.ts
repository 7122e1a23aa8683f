// src/transport/webrepl-files.ts: the host side of WebREPL's own file protocol (`WA` binary
// frames, `struct webrepl_file` in MicroPython's modwebrepl.c), as webrepl_cli.py speaks it.
import { TransportError } from '../errors.js';

/** Binary frames both ways on a logged-in WebREPL link. */
export interface BinaryChannel {
  readonly description: string;
  /** One binary frame to the board. */
  sendBinary(data: Uint8Array): Promise<void>;
  /** Binary frames from the board. Returns a function that unsubscribes. */
  onBinary(listener: (data: Uint8Array) => void): () => void;
  /** The link ends (the board closes it when its file operation raises). */
  onClose(listener: (error?: Error) => void): () => void;
}

/** What the board layer uses: whole-file PUT and GET by the board's own protocol. */
export interface FileProtocol {
  /** Write `data` to `path` (the board truncates it first). No check: verify it afterwards. */
  put(path: string, data: Uint8Array): Promise<void>;
  /** The content of `path`. A missing file makes the board close the connection. */
  get(path: string): Promise<Uint8Array>;
}

const HEADER = 82;
const PUT = 1;
const GET = 2;
/** `fname[64]`: longer names do not fit the header. */
export const WA_NAME_MAX = 64;
/** Data frames of this size: the board's 512-byte buffer takes them whole. */
const DATA_FRAME = 1024;
const BOARD_BUFFER = 512;
/** A board answers each step in a round trip or two; this bounds a silent one. */
const ANSWER_MS = 10_000;

/** `struct webrepl_file`, little-endian and packed. */
export function waHeader(type: number, path: string, size: number): Buffer {
  const name = Buffer.from(path);
  if (name.length > WA_NAME_MAX) throw new RangeError(`${path}: longer than ${WA_NAME_MAX} bytes`);
  const head = Buffer.alloc(HEADER);
  head.write('WA', 0, 'latin1');
  head[2] = type;
  head.writeUInt32LE(size, 12);
  head.writeUInt16LE(name.length, 16);
  name.copy(head, 18);
  return head;
}

/**
 * Where PUT's data frames end: 1024 bytes each, except that a last frame one byte over a
 * multiple of 512 (which a board's 512-byte buffer cuts short, losing the file's last byte while
 * it still answers `WB 00 00`) goes as 512 bytes and 1.
 */
export function dataFrames(size: number): number[] {
  const ends: number[] = [];
  for (let at = 0; at < size; ) {
    let next = Math.min(size, at + DATA_FRAME);
    const length = next - at;
    if (length > BOARD_BUFFER && length % BOARD_BUFFER === 1) next -= 1;
    ends.push(next);
    at = next;
  }
  return ends;
}

/** WA PUT/GET over `channel`; one transfer at a time, while no exec is running. */
export class WaFiles implements FileProtocol {
  constructor(private readonly channel: BinaryChannel) {}

  async put(path: string, data: Uint8Array): Promise<void> {
    await this.session(async (read) => {
      // header and every data frame go out at once: TCP holds what the board has not read
      const sends = [this.channel.sendBinary(waHeader(PUT, path, data.length))];
      let at = 0;
      for (const end of dataFrames(data.length)) {
        sends.push(this.channel.sendBinary(data.subarray(at, end)));
        at = end;
      }
      await Promise.all(sends);
      await this.status(read, path, 'PUT');
      if (data.length > 0) await this.status(read, path, 'PUT');
    });
  }

  async get(path: string): Promise<Uint8Array> {
    return this.session(async (read) => {
      await this.channel.sendBinary(waHeader(GET, path, 0));
      await this.status(read, path, 'GET');
      const parts: Uint8Array[] = [];
      for (;;) {
        await this.channel.sendBinary(new Uint8Array(1));
        const size = Buffer.from(await read(2)).readUInt16LE(0);
        if (size === 0) break;
        parts.push(await read(size));
      }
      await this.status(read, path, 'GET');
      return new Uint8Array(Buffer.concat(parts));
    });
  }

  private async status(read: (n: number) => Promise<Uint8Array>, path: string, op: string) {
    const answer = Buffer.from(await read(4));
    if (answer.toString('latin1', 0, 2) !== 'WB' || answer.readUInt16LE(2) !== 0) {
      throw new TransportError(`${this.channel.description}: WebREPL ${op} ${path} failed`);
    }
  }

  /** Run `action` with a reader of the board's binary bytes (frames joined into a stream). */
  private async session<T>(action: (read: (count: number) => Promise<Uint8Array>) => Promise<T>) {
    let pending = Buffer.alloc(0);
    let wake: () => void = () => {};
    let lost: Error | undefined;
    let fail: (error: Error) => void = () => {};
    const off = this.channel.onBinary((data) => {
      pending = Buffer.concat([pending, data]);
      wake();
    });
    const offClose = this.channel.onClose((error) => {
      lost = new TransportError(
        `${this.channel.description} closed during a WebREPL file transfer` +
          (error ? ` (${error.message})` : ''),
      );
      fail(lost);
    });
    const read = async (count: number): Promise<Uint8Array> => {
      while (pending.length < count) {
        if (lost) throw lost;
        await new Promise<void>((resolve, reject) => {
          fail = reject;
          const timer = setTimeout(
            () => reject(new TransportError(`${this.channel.description}: no WebREPL file answer`)),
            ANSWER_MS,
          );
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      const out = pending.subarray(0, count);
      pending = pending.subarray(count);
      return out;
    };
    try {
      return await action(read);
    } finally {
      off();
      offClose();
    }
  }
}
