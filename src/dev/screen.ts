// src/dev/screen.ts: the terminal side of `mpy dev` as a pure state machine: the board's output
// passes through as it comes, our status lines each get a line of their own, and typed keys are
// split into the board's and the loop's (leave, run again).

/** Keys that leave: Ctrl-] (as telnet/miniterm) and Ctrl-X (as mpremote), as in `mpy repl`. */
export const EXIT_KEYS: ReadonlySet<number> = new Set([0x1d, 0x18]);
const CTRL_D = 0x04;
const LF = 0x0a;
/** The friendly REPL's prompt, as the board prints it at the end of a line. */
const PROMPT = '>>> ';

/** What one piece of typed input asks for, in order. */
export type KeyAction =
  /** Bytes for the board (its REPL, or the program's stdin). */
  | { type: 'board'; data: Uint8Array }
  /** Ctrl-] or Ctrl-X: leave `mpy dev`. */
  | { type: 'leave' }
  /** Ctrl-D at an empty prompt when the loop, not the board, knows what to run (`--run`). */
  | { type: 'rerun' };

const latin1 = new TextDecoder('latin1');

/** Tracks where the board's output left the cursor and whether an empty prompt is showing. */
export class DevScreen {
  private lineStart = true;
  /** The last few characters the board printed. */
  private tail = '';
  /** Keys went to the board since its output last ended with the prompt. */
  private typed = false;

  /** True when the last thing shown ended a line (a status line can go right there). */
  get atLineStart(): boolean {
    return this.lineStart;
  }

  /** True when the board's output ends with `>>> ` and nothing was typed since. */
  get atEmptyPrompt(): boolean {
    return !this.typed && this.tail.endsWith(PROMPT);
  }

  /** Board output: returned as it is, to be written to the terminal. */
  output(data: Uint8Array): Uint8Array {
    if (data.length === 0) return data;
    this.lineStart = data[data.length - 1] === LF;
    this.tail = (this.tail + latin1.decode(data.subarray(-PROMPT.length))).slice(-PROMPT.length);
    // Echo of typed keys comes back as output: only a fresh prompt clears `typed`.
    if (this.tail.endsWith(PROMPT)) this.typed = false;
    return data;
  }

  /** One status line of ours, as text to write: it starts on a fresh line (after a line break
   * when the board's output stopped mid-line) and ends one, never splicing into the output. */
  status(line: string): string {
    const text = `${this.lineStart ? '' : '\n'}${line}\n`;
    this.lineStart = true;
    return text;
  }

  /** What makes the next output start a line: a line break, or nothing at a line start. */
  freshLine(): string {
    const text = this.lineStart ? '' : '\n';
    this.lineStart = true;
    return text;
  }

  /** Split typed input. `rerunOnCtrlD`: Ctrl-D at an empty prompt runs the program again
   * (without it the board's own Ctrl-D soft-resets and runs main.py). */
  keys(data: Uint8Array, rerunOnCtrlD = false): KeyAction[] {
    const actions: KeyAction[] = [];
    let start = 0;
    const flush = (end: number) => {
      if (end > start) actions.push({ type: 'board', data: data.subarray(start, end) });
    };
    for (let i = 0; i < data.length; i++) {
      const byte = data[i]!;
      if (EXIT_KEYS.has(byte)) {
        flush(i);
        actions.push({ type: 'leave' });
        return actions;
      }
      if (byte === CTRL_D && rerunOnCtrlD && this.atEmptyPrompt) {
        flush(i);
        start = i + 1;
        actions.push({ type: 'rerun' });
        // What follows goes to the program that runs next, not to this prompt.
        this.tail = '';
        continue;
      }
      this.typed = true;
    }
    flush(data.length);
    return actions;
  }
}
