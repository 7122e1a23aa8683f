// src/sim/frame-filter.ts: leave the sim's own Python frames out of tracebacks (legacy profile).

/** A traceback line of a frame in one of the sim's modules (imported from /tmp). */
const FRAME = Buffer.from('  File "/tmp/_mpysim', 'latin1');

/**
 * The legacy profile's `open`, `os.size`... are Python, so an error they raise has one frame
 * more than on the firmware, where they are C. Output passes through unchanged except lines
 * that start like FRAME, which are dropped up to their `\n`; the start of a line that may be
 * one is held until it is known.
 */
export class FrameFilter {
  private matched = 0;
  private dropping = false;
  private lineStart = true;

  constructor(private readonly emit: (byte: number) => void) {}

  push(byte: number): void {
    if (this.dropping) {
      if (byte === 10) {
        this.dropping = false;
        this.lineStart = true;
      }
      return;
    }
    if (this.lineStart || this.matched > 0) {
      if (byte === FRAME[this.matched]) {
        this.lineStart = false;
        if (++this.matched === FRAME.length) {
          this.matched = 0;
          this.dropping = true;
        }
        return;
      }
      for (let i = 0; i < this.matched; i++) this.emit(FRAME[i] as number);
      this.matched = 0;
    }
    this.emit(byte);
    this.lineStart = byte === 10;
  }
}
