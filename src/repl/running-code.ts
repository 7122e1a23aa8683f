// src/repl/running-code.ts: the Execution handle of code started with RawRepl.start: raw stdout
// reads by length or marker (binary safe), stdin writes, and the final output framing.
import { TimeoutError } from '../errors.js';
import type { ByteReader } from '../transport/reader.js';
import { markerBytes } from '../transport/reader.js';
import type { Transport } from '../transport/transport.js';
import { readResult } from './output.js';
import { parseBoardError } from './protocol.js';
import type { Execution } from './types.js';

/** What the handle needs from the session. `done` gets the failure (or nothing), recovers the
 * REPL, releases the session and returns the error to throw. */
export interface RunningCodeLink {
  reader: ByteReader;
  transport: Transport;
  answerMs: number;
  execMs: number;
  done(error?: unknown): Promise<unknown>;
}

/** One running program. After any failure the session is recovered and released, and every
 * later call throws that failure, so a caller that gives up cannot leave the session locked. */
export class RunningCode implements Execution {
  private failure: unknown;
  private finished = false;

  constructor(private readonly link: RunningCodeLink) {}

  readExactly(n: number, timeoutMs?: number): Promise<Uint8Array> {
    return this.guard(() => this.link.reader.readExactly(n, timeoutMs ?? this.link.answerMs));
  }

  readUntil(marker: Uint8Array | string, timeoutMs?: number): Promise<Uint8Array> {
    const needle = markerBytes(marker);
    return this.guard(() => this.link.reader.readUntil(needle, timeoutMs ?? this.link.answerMs));
  }

  write(data: Uint8Array): Promise<void> {
    return this.guard(() => this.link.transport.write(data));
  }

  unread(data: Uint8Array): void {
    this.link.reader.unread(data);
  }

  async finish(timeoutMs?: number): Promise<Uint8Array> {
    const end = Date.now() + (timeoutMs ?? this.link.execMs);
    const result = await this.guard(() =>
      readResult(this.link.reader, () => Math.max(0, end - Date.now())),
    );
    this.finished = true;
    await this.link.done();
    if (result.stderr.length > 0) {
      throw parseBoardError(new TextDecoder().decode(result.stderr));
    }
    return result.stdout;
  }

  async abandon(): Promise<void> {
    if (this.failure !== undefined || this.finished) return;
    // A lost answer as far as the session knows: it interrupts and re-enters the raw REPL.
    this.failure = await this.link.done(new TimeoutError('the program was abandoned'));
  }

  private async guard<T>(step: () => Promise<T>): Promise<T> {
    if (this.failure !== undefined) throw this.failure;
    if (this.finished) throw new Error('this execution has finished');
    try {
      return await step();
    } catch (error) {
      this.failure = await this.link.done(error);
      throw this.failure;
    }
  }
}
