// src/sim/wire.ts: one direction of the virtual serial cable: baud-rate pacing and latency.

/** Link timing; read on every tick so `setLink` takes effect at once. */
export interface WireTiming {
  baud?: number | undefined;
  latencyMs?: number | undefined;
}

interface Pending {
  bytes: Uint8Array;
  offset: number;
  sent: () => void;
}

/**
 * Moves bytes at most baud/10 bytes per second (8N1 framing), then delays them by the latency,
 * then hands them to `deliver` in order. `send` resolves when the bytes have left the sender,
 * like a serial port's drain.
 */
export class Wire {
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<NodeJS.Timeout>();
  private budget = 0;
  private lastTick = 0;
  /** Bumped by `clear()` so deliveries scheduled before it are dropped. */
  private generation = 0;

  constructor(
    private readonly timing: () => WireTiming,
    private readonly deliver: (bytes: Uint8Array) => void,
  ) {}

  send(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return Promise.resolve();
    const { baud, latencyMs } = this.timing();
    if (!baud && !latencyMs && this.queue.length === 0) {
      this.deliver(bytes);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push({ bytes, offset: 0, sent: resolve });
      if (this.queue.length === 1) {
        this.budget = 0;
        this.lastTick = performance.now();
      }
      this.schedule(0);
    });
  }

  /** Forget everything queued or in flight (the cable was pulled). Pending sends resolve. */
  clear(): void {
    this.generation++;
    for (const timer of this.inFlight) clearTimeout(timer);
    this.inFlight.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const pending of this.queue.splice(0)) pending.sent();
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delayMs);
  }

  private tick(): void {
    const { baud, latencyMs } = this.timing();
    const now = performance.now();
    const rate = baud ? baud / 10 / 1000 : Number.POSITIVE_INFINITY; // bytes per ms
    this.budget = Math.min(this.budget + (now - this.lastTick) * rate, Number.MAX_SAFE_INTEGER);
    this.lastTick = now;
    const parts: Uint8Array[] = [];
    while (this.queue.length > 0 && this.budget >= 1) {
      const head = this.queue[0] as Pending;
      const take = Math.min(head.bytes.length - head.offset, Math.floor(this.budget));
      parts.push(head.bytes.subarray(head.offset, head.offset + take));
      head.offset += take;
      this.budget -= take;
      if (head.offset === head.bytes.length) {
        this.queue.shift();
        head.sent();
      }
    }
    if (parts.length > 0) this.arrive(Buffer.concat(parts), latencyMs ?? 0);
    if (this.queue.length > 0) {
      const needed = Math.max(1, Math.ceil((1 - this.budget) / rate));
      this.schedule(Math.min(needed, 10));
    }
  }

  private arrive(bytes: Uint8Array, latencyMs: number): void {
    if (latencyMs <= 0) {
      this.deliver(bytes);
      return;
    }
    const generation = this.generation;
    const timer = setTimeout(() => {
      this.inFlight.delete(timer);
      if (generation === this.generation) this.deliver(bytes);
    }, latencyMs);
    this.inFlight.add(timer);
  }
}
