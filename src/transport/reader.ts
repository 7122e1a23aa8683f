// src/transport/reader.ts: a buffered reader over a Transport; every read has a timeout and a
// closed link turns pending and later reads into TransportError.
import { TimeoutError, TransportError } from '../errors.js';
import { ByteQueue } from './byte-queue.js';
import { endedLinkError } from './emitter.js';
import type { Transport } from './transport.js';

const encoder = new TextEncoder();

/** Bytes of a marker given as text (latin1-safe for the ASCII markers the REPL uses). */
export function markerBytes(marker: Uint8Array | string): Uint8Array {
  return typeof marker === 'string' ? encoder.encode(marker) : marker;
}

/** Index of `needle` in `haystack` at or after `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  if (needle.length === 0) return from <= haystack.length ? from : -1;
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let i = Math.max(0, from); i <= last; i++) {
    if (haystack[i] !== first) continue;
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * Buffers everything a Transport delivers and hands it out on request. Reads wait at most
 * `timeoutMs` (Infinity = no limit) and throw `TimeoutError`; once the link has closed, a read the
 * buffer cannot satisfy throws `TransportError` with the bytes that were left.
 */
export class ByteReader {
  private readonly queue = new ByteQueue();
  private closedError: TransportError | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: Array<() => void>;

  constructor(readonly transport: Transport) {
    this.unsubscribe = [
      transport.onData((data) => {
        this.queue.push(data);
        this.notify();
      }),
      transport.onClose((error) => {
        this.closedError = endedLinkError(transport.description, error);
        this.notify();
      }),
    ];
  }

  /** Bytes received and not read yet. */
  get available(): number {
    return this.queue.length;
  }

  /** The error the link closed with, if it has closed. */
  get closed(): TransportError | undefined {
    return this.closedError;
  }

  /** Everything buffered now (possibly nothing); never waits. */
  readAvailable(): Uint8Array {
    return this.queue.take(this.queue.length);
  }

  /** Put bytes back in front of the buffer (a parser read past its frame). */
  unread(data: Uint8Array): void {
    if (data.length > 0) this.queue.unshift(data);
  }

  /** Exactly `n` bytes. */
  async readExactly(n: number, timeoutMs: number): Promise<Uint8Array> {
    await this.waitFor(() => this.queue.length >= n, timeoutMs, `${n} bytes`);
    return this.queue.take(n);
  }

  /** Bytes up to and including `marker`. */
  async readUntil(marker: Uint8Array | string, timeoutMs: number): Promise<Uint8Array> {
    const needle = markerBytes(marker);
    let searchFrom = 0;
    let found = -1;
    await this.waitFor(
      () => {
        found = indexOfBytes(this.queue.bytes, needle, searchFrom);
        searchFrom = Math.max(0, this.queue.length - needle.length + 1);
        return found >= 0;
      },
      timeoutMs,
      JSON.stringify(new TextDecoder('latin1').decode(needle)),
    );
    return this.queue.take(found + needle.length);
  }

  /** At least one byte: everything buffered once something is there. `signal` cancels the wait
   * (rejects with the signal's reason). */
  async readSome(timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    await this.waitFor(() => this.queue.length > 0, timeoutMs, 'data', signal);
    return this.readAvailable();
  }

  /**
   * Read and return whatever arrives until the link stays silent for `quietMs`, for at most
   * `maxMs`. Used to let a board finish printing (boot text, a traceback) before talking to it.
   */
  async drain(quietMs: number, maxMs: number): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [this.readAvailable()];
    const deadline = Date.now() + maxMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      try {
        chunks.push(await this.readSome(Math.min(quietMs, left)));
      } catch (error) {
        if (error instanceof TimeoutError) break;
        throw error;
      }
    }
    return Buffer.concat(chunks);
  }

  /** Stop listening to the transport (the buffer stays readable). */
  dispose(): void {
    for (const off of this.unsubscribe) off();
    this.closedError ??= new TransportError('the reader was disposed');
    this.notify();
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolve once `ready()` holds; re-checked whenever bytes arrive or the link closes. */
  private async waitFor(
    ready: () => boolean,
    timeoutMs: number,
    what: string,
    signal?: AbortSignal,
  ): Promise<void> {
    if (ready()) return;
    if (this.closedError) throw this.withReceived(this.closedError);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      signal?.throwIfAborted();
      if (left <= 0) {
        throw new TimeoutError(
          `${this.transport.description} sent no ${what} within ${timeoutMs} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          if (timer) clearTimeout(timer);
          this.waiters.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        const timer = Number.isFinite(left) ? setTimeout(wake, left) : undefined;
        this.waiters.add(wake);
        signal?.addEventListener('abort', wake);
      });
      signal?.throwIfAborted();
      if (ready()) return;
      if (this.closedError) throw this.withReceived(this.closedError);
    }
  }

  private withReceived(error: TransportError): TransportError {
    if (this.queue.length === 0) return error;
    return new TransportError(error.message, {
      cause: error.cause,
      received: this.queue.bytes.slice(),
    });
  }
}
