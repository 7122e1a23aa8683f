// src/sim/legacy-raw.ts: the micro:bit's raw REPL line: held, checked against its heap, then run.

/** Past the free heap by this much, the micro:bit's raw REPL hangs while receiving (measured). */
const HANG_SLACK = 200;

export interface LegacyRawLineOptions {
  /** Undefined when `source` compiles in the micro:bit's heap, else the firmware's error text. */
  checkCompile(source: string, credit: number): string | undefined;
  /** The micro:bit's free heap now, with the user's objects alive. */
  idleFree(): number;
  /** The line grew past what the micro:bit can receive. */
  hang(length: number): void;
}

/**
 * The firmware gathers raw REPL code in a heap buffer before compiling it. A line the heap
 * cannot hold hangs the board for good (about 9.7 KB on a fresh micro:bit; it answers nothing,
 * not even Ctrl-C); a line it holds but cannot compile gets a MemoryError. The sim holds the
 * line here, test-compiles it in a micro:bit-sized heap (see mpysim_heap.py), and only then
 * hands it to the port, which runs it with a heap that may grow.
 */
export class LegacyRawLine {
  private line: number[] = [];
  /** The port keeps its line buffer at the longest line it was given, until a soft reset. */
  private portCapacity = 0;
  private hung = false;

  constructor(private readonly o: LegacyRawLineOptions) {}

  /** True once the board hangs: it ignores every byte until it is reset. */
  get isHung(): boolean {
    return this.hung;
  }

  get isEmpty(): boolean {
    return this.line.length === 0;
  }

  add(byte: number): void {
    this.line.push(byte);
    if (this.line.length > this.o.idleFree() + this.portCapacity + HANG_SLACK) {
      this.hung = true;
      this.o.hang(this.line.length);
    }
  }

  clear(): void {
    this.line = [];
  }

  /** A new interpreter: its line buffer is new too. */
  reset(): void {
    this.line = [];
    this.portCapacity = 0;
  }

  /** Take the line: its bytes, and the firmware's error text if it would not compile there. */
  take(): { bytes: Uint8Array; error?: string } {
    const bytes = Uint8Array.from(this.line);
    this.line = [];
    const source = Buffer.from(bytes).toString('utf8');
    const error = this.o.checkCompile(source, Math.min(this.portCapacity, bytes.length));
    if (error === undefined) this.portCapacity = Math.max(this.portCapacity, bytes.length);
    return error === undefined ? { bytes } : { bytes, error };
  }
}
