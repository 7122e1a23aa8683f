// src/transport/byte-queue.ts: a growable FIFO of bytes: appends are amortised O(1) and the live
// bytes stay contiguous, so a reader can search them without concatenating chunks every time.

/** Bytes in arrival order; `bytes` views the unread part (valid until the next change). */
export class ByteQueue {
  private store = new Uint8Array(4096);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  /** The unread bytes, without copying. Do not keep it across a push/take/unshift. */
  get bytes(): Uint8Array {
    return this.store.subarray(this.start, this.end);
  }

  push(data: Uint8Array): void {
    this.reserve(data.length);
    this.store.set(data, this.end);
    this.end += data.length;
  }

  /** Put bytes back in front. */
  unshift(data: Uint8Array): void {
    if (data.length <= this.start) {
      this.start -= data.length;
      this.store.set(data, this.start);
      return;
    }
    const live = this.bytes.slice();
    this.start = 0;
    this.end = 0;
    this.push(data);
    this.push(live);
  }

  /** A copy of the first `n` bytes, removed from the queue. */
  take(n: number): Uint8Array {
    const count = Math.min(n, this.length);
    const out = this.store.slice(this.start, this.start + count);
    this.start += count;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
    return out;
  }

  private reserve(extra: number): void {
    if (this.end + extra <= this.store.length) return;
    const live = this.length;
    if (live + extra <= this.store.length / 2) {
      // Plenty of room once the consumed front is reclaimed.
      this.store.copyWithin(0, this.start, this.end);
    } else {
      const bigger = new Uint8Array(Math.max(this.store.length * 2, live + extra));
      bigger.set(this.bytes);
      this.store = bigger;
    }
    this.start = 0;
    this.end = live;
  }
}
