// src/sim/sim-transport.ts: the host end of the virtual cable, as a Transport.

import { TransportError } from '../errors.js';
import { LinkEvents } from '../transport/emitter.js';
import type { Transport } from '../transport/transport.js';

/** What the transport needs from its board. */
export interface SimCable {
  /** Put bytes on the host->board wire; resolves when they have left. */
  sendToBoard(bytes: Uint8Array): Promise<void>;
  /** The connection ended (closed or cut). */
  detach(connection: SimTransport): void;
}

/** One open connection to a virtual board. Ends on `close()`, `cutLink()` or `cutAfterBytes`. */
export class SimTransport implements Transport {
  readonly description = 'sim';
  private readonly events = new LinkEvents();
  private endedWith: { error: Error | undefined } | undefined;

  constructor(private readonly cable: SimCable) {}

  get isOpen(): boolean {
    return this.endedWith === undefined;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.endedWith)
      throw new TransportError('sim: the link is closed', { cause: this.endedWith.error });
    await this.cable.sendToBoard(data);
    // The link may have been cut while the bytes were on the wire.
    const ended = this.endedWith as { error: Error | undefined } | undefined;
    if (ended) throw new TransportError('sim: the link was cut', { cause: ended.error });
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    this.end(undefined);
  }

  /** Bytes from the board reached the host end. */
  receive(data: Uint8Array): void {
    if (this.endedWith) return;
    this.events.data(data);
  }

  /** End the connection; `error` set means it ended by itself (cut, unplugged). */
  end(error: Error | undefined): void {
    if (this.endedWith) return;
    this.endedWith = { error };
    this.cable.detach(this);
    this.events.close(error);
  }
}
