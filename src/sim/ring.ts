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

  /** Forget unread bytes, as a board losing its buffer on reset. */
  discard(): void {
    Atomics.store(this.header, Slot.read, Atomics.load(this.header, Slot.write));
    Atomics.store(this.header, Slot.scanned, Atomics.load(this.header, Slot.write));
  }

  command(code: number): void {
    Atomics.store(this.header, Slot.command, code);
    this.wake();
  }

  private wake(): void {
    Atomics.add(this.header, Slot.wake, 1);
    Atomics.notify(this.header, Slot.wake);
  }
}
