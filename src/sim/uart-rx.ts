// src/sim/uart-rx.ts: the board's UART receiver: store arriving bytes, drop what does not fit.

import { type RxRingWriter, Slot } from './ring.js';

/** How long bytes may wait for a descheduled worker thread before they count as overrun. */
const LATE_MS = 100;

/**
 * Puts bytes that crossed the wire into the receive ring. A real UART drops bytes its buffer
 * has no room for, and so does this, with one allowance for the sim running as a thread: a
 * small arrival (at most a quarter of the buffer, as a paced sender produces) that finds the
 * buffer full waits up to LATE_MS for the worker, which may just not have been scheduled. A
 * sender that ignores flow control overruns the buffer with large writes and loses bytes.
 */
export class UartReceiver {
  private late: { bytes: Uint8Array; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ring: RxRingWriter,
    /** Bytes now in the ring, starting at absolute ring position `start`. */
    private readonly stored: (start: number, bytes: Uint8Array) => void,
    private readonly dropped: (count: number) => void,
  ) {}

  arrive(bytes: Uint8Array): void {
    if (this.late.length > 0) {
      this.late.push({ bytes, at: performance.now() });
      this.retry();
      return;
    }
    const rest = this.store(bytes);
    if (rest.length === 0) return;
    if (bytes.length <= this.ring.capacity / 4) {
      this.late.push({ bytes: rest, at: performance.now() });
      this.schedule();
    } else {
      this.dropped(rest.length);
    }
  }

  /** Forget bytes waiting for room (the board was reset or the link is gone). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.late = [];
  }

  /** Store what fits; return the rest. */
  private store(bytes: Uint8Array): Uint8Array {
    const start = Atomics.load(this.ring.header, Slot.write);
    const count = this.ring.push(bytes);
    if (count > 0) this.stored(start, bytes.subarray(0, count));
    return bytes.subarray(count);
  }

  private retry(): void {
    while (this.late.length > 0) {
      const head = this.late[0] as { bytes: Uint8Array; at: number };
      if (performance.now() - head.at > LATE_MS) {
        this.dropped(head.bytes.length);
        this.late.shift();
        continue;
      }
      head.bytes = this.store(head.bytes);
      if (head.bytes.length > 0) break;
      this.late.shift();
    }
    if (this.late.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retry();
    }, 1);
  }
}
