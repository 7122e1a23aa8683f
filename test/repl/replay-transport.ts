// test/repl/replay-transport.ts: a Transport that plays a recorded board session back, cut into
// chunks where a test says, and answers the host only once it has written what the board had
// read by then. It reports the first host byte that differs from the recording.
import { TransportError } from '../../src/errors.js';
import { LinkEvents } from '../../src/transport/emitter.js';
import type { Transport } from '../../src/transport/transport.js';
import { fromLatin1, type WireChunk } from './stream-fixture.js';

/** Where to cut the board's bytes, besides where the recording has the host speak. */
export type Cuts = 'none' | 'every-byte' | { at: number };

/** One stretch of board bytes and the count of host bytes written before it was received. */
interface Release {
  end: number;
  hostBytes: number;
}

/** The recording split into the two byte streams, with when each board byte may be sent. */
export class Recording {
  readonly board: Uint8Array;
  readonly host: Uint8Array;
  readonly releases: Release[] = [];

  constructor(wire: WireChunk[]) {
    const board: number[] = [];
    const host: number[] = [];
    for (const chunk of wire) {
      if ('h' in chunk) host.push(...fromLatin1(chunk.h));
      else {
        board.push(...fromLatin1(chunk.b));
        this.releases.push({ end: board.length, hostBytes: host.length });
      }
    }
    this.board = Uint8Array.from(board);
    this.host = Uint8Array.from(host);
  }

  /** How many board bytes may have been sent once the host has written `hostBytes`. A board byte
   * waits for every host byte written before it arrived in the recording: the board may have
   * needed fewer, but never more, so a host that behaves as recorded never waits for nothing. */
  releasedAfter(hostBytes: number): number {
    let end = 0;
    for (const release of this.releases) {
      if (release.hostBytes > hostBytes) break;
      end = release.end;
    }
    return end;
  }
}

/** Replays with board bytes on their way to the host (a test's clock waits for them). */
let delivering = 0;

/** True while some replay still has bytes to hand out before the host can be called idle. */
export function deliveriesPending(): boolean {
  return delivering > 0;
}

export class ReplayTransport implements Transport {
  readonly description = 'replay';
  /** Host bytes written so far. */
  written = 0;
  /** Board bytes handed to the host so far. */
  delivered = 0;
  /** The first host write that left the recording, as text for an assertion. */
  divergence: string | undefined;
  private readonly events = new LinkEvents();
  private pumping = false;

  constructor(
    readonly recording: Recording,
    private readonly cuts: Cuts,
  ) {
    // Bytes the board sent before the host said anything (boot text) go out first.
    void this.pump();
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.events.closed) throw new TransportError('replay: the link is closed');
    const expected = this.recording.host.subarray(this.written, this.written + data.length);
    const same = expected.length === data.length && expected.every((b, i) => b === data[i]);
    if (!same) {
      this.divergence ??= `host byte ${this.written}: wrote ${show(data)}, recorded ${show(expected)}`;
      this.end(new TransportError(`replay diverged: ${this.divergence}`));
      throw new TransportError(`replay diverged: ${this.divergence}`);
    }
    this.written += data.length;
    void this.pump();
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    this.end();
  }

  private end(error?: Error): void {
    this.events.close(error);
  }

  /** Hand out what the host may see now, one chunk per turn of the event loop, so the host
   * handles each chunk (and may wait for the next) before the next one arrives. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    delivering++;
    try {
      // The host subscribes right after the constructor: start on the next turn.
      await new Promise((resolve) => setImmediate(resolve));
      for (;;) {
        const released = this.recording.releasedAfter(this.written);
        if (this.events.closed || this.delivered >= released) return;
        const end = this.nextCut(released);
        const chunk = this.recording.board.slice(this.delivered, end);
        this.delivered = end;
        this.events.data(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.pumping = false;
      delivering--;
    }
  }

  private nextCut(released: number): number {
    if (this.cuts === 'every-byte') return this.delivered + 1;
    if (this.cuts !== 'none' && this.cuts.at > this.delivered && this.cuts.at < released) {
      return this.cuts.at;
    }
    return released;
  }
}

function show(data: Uint8Array): string {
  return JSON.stringify(Buffer.from(data.subarray(0, 40)).toString('latin1'));
}
