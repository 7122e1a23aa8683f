// src/sim/ring.ts: the shared UART receive buffer between the host side and the board worker.

/**
 * Layout of the SharedArrayBuffer: a header of Int32 slots, then `capacity` data bytes.
 * Positions are absolute byte counts (wrapping at 2^32 through `| 0`); the slot in the data
 * area is `position % capacity`. The host only appends, the worker only consumes.
 */
export const Slot = {
  /** Bytes ever stored by the host. */
  write: 0,
  /** Bytes ever consumed by the board. */
  read: 1,
  /** Futex word: bumped on every host write or command so the worker wakes from Atomics.wait. */
  wake: 2,
  /** Command to the worker: 0 none, 1 stop. */
  command: 3,
  /** 1 while the board runs Python code, 0 while it waits in the REPL. */
  busy: 4,
  /** Position up to which the worker has looked at incoming bytes (proves it is responsive). */
  scanned: 5,
  /** The interrupt character the running code has set (3, or -1 after kbd_intr(-1)). */
  interruptChar: 6,
} as const;

export const HEADER_SLOTS = 8;
export const COMMAND_STOP = 1;

/** Host-side view of the ring: stores bytes that fit, reports how many were dropped. */
export class RxRingWriter {
  readonly header: Int32Array;
  readonly data: Uint8Array;
  readonly capacity: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_SLOTS);
    this.data = new Uint8Array(buffer, HEADER_SLOTS * 4);
    this.capacity = this.data.length;
  }

  static create(capacity: number): RxRingWriter {
    return new RxRingWriter(new SharedArrayBuffer(HEADER_SLOTS * 4 + capacity));
  }

  /** Store as many bytes as fit; a real UART drops the rest. Returns how many were stored. */
  push(bytes: Uint8Array): number {
    const write = Atomics.load(this.header, Slot.write);
    const read = Atomics.load(this.header, Slot.read);
    const free = this.capacity - ((write - read) | 0);
    const n = Math.min(free, bytes.length);
    for (let i = 0; i < n; i++) this.data[((write + i) >>> 0) % this.capacity] = bytes[i] ?? 0;
    Atomics.store(this.header, Slot.write, (write + n) | 0);
    this.wake();
    return n;
  }

  /** Forget unread bytes (those before position `until`, or all), as a board losing its buffer on reset. */
  discard(until?: number): void {
    const write = Atomics.load(this.header, Slot.write);
    const read = Atomics.load(this.header, Slot.read);
    let to = until ?? write;
    // Only move forward, and never past what was written.
    if (((to - read) | 0) < 0) to = read;
    if (((write - to) | 0) < 0) to = write;
    Atomics.store(this.header, Slot.read, to);
    Atomics.store(this.header, Slot.scanned, to);
  }

  command(code: number): void {
    Atomics.store(this.header, Slot.command, code);
    this.wake();
  }

  /** Wake the worker without bytes (a file request is waiting for it). */
  nudge(): void {
    this.wake();
  }

  private wake(): void {
    Atomics.add(this.header, Slot.wake, 1);
    Atomics.notify(this.header, Slot.wake);
  }
}

/** Atomics.waitAsync (Node 16+), missing from the ES2023 lib typings this project compiles with. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
    ): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

/** Slots of the board->host output ring header. */
export const OutSlot = {
  /** Bytes ever written by the board. */
  write: 0,
  /** Bytes ever taken by the host. */
  read: 1,
  /** 1 while the host waits for output (the worker then notifies on `write`). */
  armed: 2,
} as const;

/**
 * Host side of the output ring. The worker may be stuck in a loop right after printing, so
 * the host pulls output (Atomics.waitAsync) rather than waiting for the worker to post it.
 */
export class TxRingDrain {
  readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly capacity: number;
  private running = true;

  /**
   * `deliver` gets the bytes and resolves once the wire has sent them: the ring is only
   * drained that fast, so a printing board blocks as on a UART instead of piling up output.
   * `chunkLimit` caps how much is taken at once (the bytes in flight on the wire).
   */
  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly deliver: (bytes: Uint8Array) => Promise<void>,
    private readonly chunkLimit: () => number,
  ) {
    this.header = new Int32Array(buffer, 0, HEADER_SLOTS);
    this.data = new Uint8Array(buffer, HEADER_SLOTS * 4);
    this.capacity = this.data.length;
    void this.loop();
  }

  static create(
    capacity: number,
    deliver: (bytes: Uint8Array) => Promise<void>,
    chunkLimit: () => number,
  ): TxRingDrain {
    return new TxRingDrain(new SharedArrayBuffer(HEADER_SLOTS * 4 + capacity), deliver, chunkLimit);
  }

  /** Take everything the board has written so far and send it (not waiting for the wire). */
  drain(): void {
    const bytes = this.take(Number.POSITIVE_INFINITY);
    if (bytes) void this.deliver(bytes);
  }

  stop(): void {
    this.running = false;
    Atomics.notify(this.header, OutSlot.write);
  }

  private available(): number {
    return (Atomics.load(this.header, OutSlot.write) - Atomics.load(this.header, OutSlot.read)) | 0;
  }

  private take(limit: number): Uint8Array | undefined {
    const read = Atomics.load(this.header, OutSlot.read);
    const count = Math.min(this.available(), limit);
    if (count <= 0) return undefined;
    const bytes = new Uint8Array(count);
    for (let i = 0; i < count; i++) bytes[i] = this.data[((read + i) >>> 0) % this.capacity] ?? 0;
    Atomics.store(this.header, OutSlot.read, (read + count) | 0);
    // A worker blocked on a full ring waits for `read` to move.
    Atomics.notify(this.header, OutSlot.read);
    return bytes;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (this.available() === 0) {
        const seen = Atomics.load(this.header, OutSlot.write);
        Atomics.store(this.header, OutSlot.armed, 1);
        if (Atomics.load(this.header, OutSlot.write) === seen) {
          const waited = waitAsync(this.header, OutSlot.write, seen);
          if (waited.async) await waited.value;
        }
        Atomics.store(this.header, OutSlot.armed, 0);
        if (!this.running) return;
        // Let a short burst accumulate so output moves in chunks, not byte by byte.
        if (this.available() < 256) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const bytes = this.take(this.chunkLimit());
      if (bytes) await this.deliver(bytes);
    }
  }
}
