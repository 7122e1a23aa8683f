// src/sim/ws-frames.ts: the server side of RFC 6455 framing, as small as MicroPython's
// modwebsocket.c: unmask the client's frames, write unmasked ones (no fragmentation, no
// extensions), and the HTTP upgrade exactly as a board's webrepl.py reads it.
import { createHash } from 'node:crypto';

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 };

/** One frame from the client, unmasked. */
export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Encode one unmasked server frame. */
export function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length;
  const head =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([head, payload]);
}

function bigLength(length: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(length));
  return buffer;
}

/** Splits a byte stream into frames; bytes of an unfinished frame wait for the next chunk. */
export class FrameParser {
  private pending = Buffer.alloc(0);

  /** Frames complete after `chunk`. */
  push(chunk: Uint8Array): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): Frame | undefined {
    const data = this.pending;
    if (data.length < 2) return undefined;
    const masked = (data[1]! & 0x80) !== 0;
    let length = data[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (data.length < 4) return undefined;
      length = data.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (data.length < 10) return undefined;
      length = Number(data.readBigUInt64BE(2));
      offset = 10;
    }
    const maskAt = offset;
    if (masked) offset += 4;
    if (data.length < offset + length) return undefined;
    const payload = Buffer.from(data.subarray(offset, offset + length));
    if (masked) {
      for (let i = 0; i < payload.length; i++) payload[i]! ^= data[maskAt + (i & 3)]!;
    }
    this.pending = data.subarray(offset + length);
    return { fin: (data[0]! & 0x80) !== 0, opcode: data[0]! & 0x0f, payload };
  }
}

/** The response to a complete request head, or undefined when webrepl.py would not upgrade it:
 * it compares header names case-sensitively (`Connection`, `Upgrade`, `Sec-WebSocket-Key`). */
export function upgradeResponse(head: string): string | undefined {
  let key: string | undefined;
  let upgrade = false;
  let websocket = false;
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name === 'Sec-WebSocket-Key') key = value;
    else if (name === 'Connection' && value.includes('Upgrade')) upgrade = true;
    else if (name === 'Upgrade' && value === 'websocket') websocket = true;
  }
  if (!(upgrade && websocket && key)) return undefined;
  const accept = createHash('sha1')
    .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
}

/** What webrepl.py sends to a request it does not upgrade (a browser asking for the page). */
export const HTML_PAGE =
  'HTTP/1.0 200 OK\r\n\r\n<base href="https://micropython.org/webrepl/"></base>\r\n<script src="webrepl_content.js"></script>\r\n';
