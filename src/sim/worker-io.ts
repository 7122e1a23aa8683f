// src/sim/worker-io.ts: the board's side of the UART: consume the shared receive ring, batch output.

import { COMMAND_STOP, HEADER_SLOTS, OutSlot, Slot } from './ring.js';

const CTRL_C = 3;

/** Worker-side reader of the receive ring. Scans arrivals for Ctrl-C the way a UART IRQ does. */
export class RxRingReader {
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly capacity: number;
  /** Absolute position up to which arrivals were checked for the interrupt character. */
  private scanned: number;
  /** Set when an interrupt byte was taken out of the stream since the last `takeInterrupt()`. */
  private interrupted = false;

  constructor(
    buffer: SharedArrayBuffer,
    /** Returns true when a 0x03 byte should raise KeyboardInterrupt instead of being data. */
    private readonly interruptActive: () => boolean,
    /** Schedules KeyboardInterrupt in the interpreter. */
    private readonly raiseInterrupt: () => void,
  ) {
    this.header = new Int32Array(buffer, 0, HEADER_SLOTS);
    this.data = new Uint8Array(buffer, HEADER_SLOTS * 4);
    this.capacity = this.data.length;
    this.scanned = Atomics.load(this.header, Slot.read);
  }

  /** Look at bytes that arrived since the last scan, in order; pull out interrupt bytes. */
  pump(): void {
    const write = Atomics.load(this.header, Slot.write);
    let pos = this.scanned;
    const read = Atomics.load(this.header, Slot.read);
    if (((pos - read) | 0) < 0) pos = read;
    const active = this.interruptActive();
    while (pos !== write) {
      if (active && this.at(pos) === CTRL_C) {
        this.remove(pos);
        this.interrupted = true;
        this.raiseInterrupt();
      }
      pos = (pos + 1) | 0;
    }
    this.scanned = pos;
    Atomics.store(this.header, Slot.scanned, pos);
    Atomics.store(this.header, Slot.interruptChar, active ? CTRL_C : -1);
  }

  /** True (once) if an interrupt byte was consumed since the last call. */
  takeInterrupt(): boolean {
    const was = this.interrupted;
    this.interrupted = false;
    return was;
  }

  /** The next byte, or undefined if none has arrived. Does not block. */
  take(): number | undefined {
    let read = Atomics.load(this.header, Slot.read);
    if (read === Atomics.load(this.header, Slot.write)) return undefined;
    if (((this.scanned - read) | 0) <= 0) {
      this.pump();
      read = Atomics.load(this.header, Slot.read);
      if (read === Atomics.load(this.header, Slot.write)) return undefined;
    }
    const byte = this.at(read);
    Atomics.store(this.header, Slot.read, (read + 1) | 0);
    return byte;
  }

  /** Block until bytes arrive, a command is posted, or `timeoutMs` passes. */
  wait(timeoutMs = Number.POSITIVE_INFINITY): void {
    const seen = Atomics.load(this.header, Slot.wake);
    if (Atomics.load(this.header, Slot.read) !== Atomics.load(this.header, Slot.write)) return;
    if (this.stopRequested()) return;
    Atomics.wait(this.header, Slot.wake, seen, timeoutMs);
  }

  /** Current value of the wake counter; pass to `waitForChange` to sleep until something happens. */
  wakeSequence(): number {
    return Atomics.load(this.header, Slot.wake);
  }

  /** Block until the host writes or posts a command after `sequence` was read, or the timeout. */
  waitForChange(sequence: number, timeoutMs: number): void {
    Atomics.wait(this.header, Slot.wake, sequence, timeoutMs);
  }

  stopRequested(): boolean {
    return Atomics.load(this.header, Slot.command) === COMMAND_STOP;
  }

  /** Tell the host side whether Python is running and which interrupt char is active. */
  publish(busy: number, interruptChar: number): void {
    Atomics.store(this.header, Slot.busy, busy);
    Atomics.store(this.header, Slot.interruptChar, interruptChar);
  }

  private at(pos: number): number {
    return this.data[(pos >>> 0) % this.capacity] ?? 0;
  }

  /** Delete the byte at `pos` by shifting the unread bytes before it up by one slot. */
  private remove(pos: number): void {
    const read = Atomics.load(this.header, Slot.read);
    for (let p = pos; p !== read; p = (p - 1) | 0) {
      this.data[(p >>> 0) % this.capacity] = this.at((p - 1) | 0);
    }
    Atomics.store(this.header, Slot.read, (read + 1) | 0);
  }
}

/**
 * Board side of the output ring. Every byte is visible to the host at once (a board stuck in
 * a loop right after printing still shows the output); a full ring blocks, like UART TX.
 */
export class TxRingWriter {
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly capacity: number;

  constructor(
    buffer: SharedArrayBuffer,
    /** Called while blocked on a full ring (keeps watching the input for Ctrl-C). */
    private readonly whileBlocked: () => void,
  ) {
    this.header = new Int32Array(buffer, 0, HEADER_SLOTS);
    this.data = new Uint8Array(buffer, HEADER_SLOTS * 4);
    this.capacity = this.data.length;
  }

  push(byte: number): void {
    const write = Atomics.load(this.header, OutSlot.write);
    for (;;) {
      const read = Atomics.load(this.header, OutSlot.read);
      if (((write - read) | 0) < this.capacity) break;
      this.whileBlocked();
      Atomics.wait(this.header, OutSlot.read, read, 50);
    }
    this.data[(write >>> 0) % this.capacity] = byte;
    Atomics.store(this.header, OutSlot.write, (write + 1) | 0);
    if (Atomics.load(this.header, OutSlot.armed) === 1) {
      Atomics.store(this.header, OutSlot.armed, 0);
      Atomics.notify(this.header, OutSlot.write);
    }
  }

  pushAll(bytes: Uint8Array | string): void {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    for (const byte of data) this.push(byte);
  }

  /** Output is always visible; kept so callers can mark the points where a UART would drain. */
  flush(): void {}
}
