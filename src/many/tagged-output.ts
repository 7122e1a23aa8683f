// src/many/tagged-output.ts: one board's output among many: whole lines only, each prefixed with
// the board's short name and a tab, as `parallel --tag` prints them, so lines of boards running
// at once never mix inside a line.
import { Writable } from 'node:stream';

/** A stream that writes `TAG<tab>line\n` to `target` for each line written to it. */
export class TaggedLines extends Writable {
  private partial: Buffer = Buffer.alloc(0);

  constructor(
    private readonly target: NodeJS.WritableStream,
    private readonly tag: string,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: string, done: (error?: Error) => void): void {
    this.take(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }

  /** Write out a last line that has no newline yet (the board's output ended mid-line). */
  flushLine(): void {
    if (this.partial.length === 0) return;
    const line = this.partial;
    this.partial = Buffer.alloc(0);
    this.writeLine(line);
  }

  private take(data: Buffer): void {
    let rest = this.partial.length > 0 ? Buffer.concat([this.partial, data]) : data;
    for (let newline = rest.indexOf(10); newline !== -1; newline = rest.indexOf(10)) {
      this.writeLine(rest.subarray(0, newline));
      rest = rest.subarray(newline + 1);
    }
    this.partial = Buffer.from(rest);
  }

  private writeLine(line: Buffer): void {
    // A board's `\r\n` keeps its `\r` out of the tag's way: the line ends in `\n` only.
    const text = line.at(-1) === 13 ? line.subarray(0, -1) : line;
    this.target.write(Buffer.concat([Buffer.from(`${this.tag}\t`), text, Buffer.from('\n')]));
  }
}
