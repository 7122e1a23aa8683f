// src/transport/emitter.ts: the listener bookkeeping every Transport shares: bytes that arrive
// before anyone listens are kept, and the close is reported exactly once.
import { TransportError } from '../errors.js';

/** What a read or a write that the link's end cut short throws: `lost the link: …` with the
 * link's name, or, when we closed it ourselves (`error` unset), that it was closed. */
export function endedLinkError(description: string, error: Error | undefined): TransportError {
  if (!error) return new TransportError(`the link to ${description} was closed`);
  const why = error.message.includes(description)
    ? error.message
    : `${description}: ${error.message}`;
  return new TransportError(`lost the link: ${why}`, { cause: error });
}

/** Data and close listeners of one link. */
export class LinkEvents {
  private readonly dataListeners = new Set<(data: Uint8Array) => void>();
  private readonly closeListeners = new Set<(error?: Error) => void>();
  private early: Uint8Array[] = [];
  private ended = false;
  private endError: Error | undefined;

  /** True once the link has ended. */
  get closed(): boolean {
    return this.ended;
  }

  /** Bytes from the board. */
  data(chunk: Uint8Array): void {
    if (this.dataListeners.size === 0) this.early.push(chunk);
    else for (const listener of this.dataListeners) listener(chunk);
  }

  /** The link ended (`error` unset when we closed it). Later calls are ignored. */
  close(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.endError = error;
    for (const listener of this.closeListeners) listener(error);
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    const early = this.early;
    this.early = [];
    for (const chunk of early) listener(chunk);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    if (this.ended) {
      const error = this.endError;
      queueMicrotask(() => listener(error));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }
}
