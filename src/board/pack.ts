// src/board/pack.ts: the host side of the board's packed download (py/once/gz.py): a small LZ77
// token stream the board's Python writes, read here token by token so that not one byte past its
// end is taken from the board's output.

import { TransportError } from '../errors.js';

/** Reads exactly `n` bytes of the stream. */
export type ReadExactly = (n: number) => Promise<Uint8Array>;

/** The first token byte of a match: lengths 3..130 are `length + 125`. */
const MATCH = 128;
const MATCH_BIAS = 125;

/**
 * Unpack `size` bytes from `read`: a byte c < 128 is followed by c + 1 literal bytes; c >= 128
 * repeats c - 125 bytes from the distance in the next two bytes (big end first). `onProgress`
 * gets the bytes unpacked so far. A distance before the start or a token past `size` is a
 * corrupt stream (a byte lost on the link): `TransportError`.
 */
export async function unpack(
  read: ReadExactly,
  size: number,
  onProgress?: (done: number) => void,
  beforeToken?: () => Promise<void>,
): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let at = 0;
  let reported = 0;
  while (at < size) {
    await beforeToken?.();
    const [token] = await read(1);
    if (token! < MATCH) {
      const count = token! + 1;
      if (at + count > size) throw corrupt(at, size);
      out.set(await read(count), at);
      at += count;
    } else {
      const count = token! - MATCH_BIAS;
      const [high, low] = await read(2);
      const distance = (high! << 8) | low!;
      if (distance === 0 || distance > at || at + count > size) throw corrupt(at, size);
      // byte by byte: a match may overlap what it is writing (distance < count)
      for (let i = 0; i < count; i++, at++) out[at] = out[at - distance]!;
    }
    if (at - reported >= 1024 || at === size) {
      reported = at;
      onProgress?.(at);
    }
  }
  return out;
}

function corrupt(at: number, size: number): TransportError {
  return new TransportError(`the board's packed download broke off at ${at} of ${size} bytes`);
}
