// src/sim/watchdog.ts: rescue a board stuck in a loop that never looks at Ctrl-C.

import { Slot } from './ring.js';

const WATCHDOG_MS = 300;
/** Slot.busy while boot.py or main.py runs (see repl-driver.ts). */
const BUSY_SCRIPT = 2;

/**
 * The port has no VM hook into JS, so `while True: pass` never sees Ctrl-C. The worker
 * publishes how far it has looked at the input (Slot.scanned); a Ctrl-C it has not looked at
 * within WATCHDOG_MS while busy means it is stuck: `restart` it like a hard reset. A board stuck
 * in boot.py/main.py comes back without them, as if they had been interrupted, and the bytes
 * after the last Ctrl-C (say `\x01` to enter the raw REPL) still reach the new board.
 */
export class InterruptWatchdog {
  private timer: NodeJS.Timeout | undefined;
  /** Ctrl-C bytes not yet looked at: ring position just after the byte, arrival time. */
  private pending: { position: number; at: number }[] = [];

  constructor(
    private readonly header: Int32Array,
    private readonly restart: (runScripts: boolean, keepFrom: number) => void,
  ) {}

  /** A Ctrl-C was stored in the receive ring; `position` is just after it. */
  arm(position: number): void {
    // Code that switched Ctrl-C off (kbd_intr(-1)) gets the byte as data. An idle board is
    // watched too: it may be about to start main.py and never look at the byte.
    const busy = Atomics.load(this.header, Slot.busy) !== 0;
    if (busy && Atomics.load(this.header, Slot.interruptChar) !== 3) return;
    this.pending.push({ position, at: performance.now() });
    if (!this.timer) this.schedule(WATCHDOG_MS);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private check(): void {
    this.timer = undefined;
    const busy = Atomics.load(this.header, Slot.busy);
    const scanned = Atomics.load(this.header, Slot.scanned);
    this.pending = this.pending.filter((i) => ((scanned - i.position) | 0) < 0);
    const oldest = this.pending[0];
    if (!oldest) return;
    const waited = performance.now() - oldest.at;
    if (busy === 0 || waited < WATCHDOG_MS) {
      // Idle (or still booting): it will look at the byte soon; check again.
      this.schedule(Math.max(10, WATCHDOG_MS - waited));
      return;
    }
    const last = this.pending[this.pending.length - 1] as { position: number };
    this.clear();
    this.restart(busy !== BUSY_SCRIPT, last.position);
  }

  private schedule(ms: number): void {
    // unref: a watchdog alone must not keep the process alive.
    this.timer = setTimeout(() => this.check(), ms).unref();
  }
}
