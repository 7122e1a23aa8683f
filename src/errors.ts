// src/errors.ts: the few named errors every layer throws; the CLI maps each to one line and an exit code.

/** Base of every error mpy raises on purpose. `exitCode` is what the CLI exits with. */
export class MpyError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line was wrong: unknown option, missing `:`, bad path. Exit 64 (EX_USAGE). */
export class UsageError extends MpyError {
  override readonly exitCode = 64;
}

/**
 * A mistake in mpremote's fs options, reported word for word as mpremote's argparse does (its
 * usage text, then `fs: error: …`) and with argparse's exit code 2, for scripts that check it.
 */
export class FsArgumentError extends MpyError {
  override readonly exitCode = 2;
  static readonly USAGE = [
    'usage: fs [--help] [--recursive | --no-recursive] [--force | --no-force]',
    '          [--verbose | --no-verbose] [--size | --human]',
    '          command path [path ...] ...',
  ].join('\n');
  /** The whole text to print, usage first. */
  get text(): string {
    return `${FsArgumentError.USAGE}\nfs: error: ${this.message}\n`;
  }
}

/** The link failed: port busy or missing, cable unplugged, link cut, unexpected bytes. Exit 2. */
export class TransportError extends MpyError {
  override readonly exitCode: number = 2;
  /** Bytes the board sent that could not be understood, for diagnosis. */
  readonly received: Uint8Array | undefined;
  constructor(message: string, options?: { cause?: unknown; received?: Uint8Array }) {
    super(message, options);
    this.received = options?.received;
  }
}

/**
 * The board never showed the raw REPL prompt: its code turned Ctrl-C off (`kbd_intr(-1)`) or is
 * stuck, or the port holds no MicroPython REPL. A TransportError, as the link is of no use until
 * the board is reset (code that reconnects treats it as one), but exit 3 as the README has it for
 * a board that does not answer in time.
 */
export class NoRawPromptError extends TransportError {
  override readonly exitCode = 3;
}

/** The board did not answer in time. The REPL has been recovered with Ctrl-C when possible. Exit 3. */
export class TimeoutError extends MpyError {
  override readonly exitCode = 3;
}

/**
 * Python raised on the board. `type` is the exception class (`OSError`), `value` its message
 * (`[Errno 2] ENOENT`), `traceback` the full text the board printed. `errno` is set for OSError.
 */
export class BoardError extends MpyError {
  override readonly exitCode = 1;
  readonly type: string;
  readonly value: string;
  readonly traceback: string;
  readonly errno: number | undefined;
  /** What mpy itself knows of the cause, for an error it raised for the board before asking it
   * (the micro:bit's room): shown after the errno's text. */
  readonly detail: string | undefined;
  constructor(type: string, value: string, traceback: string, detail?: string) {
    super(value ? `${type}: ${value}` : type);
    this.type = type;
    this.value = value;
    this.traceback = traceback;
    const match = /^\[Errno (\d+)\]/.exec(value) ?? /^(\d+)$/.exec(value);
    // old firmware (micro:bit v1) words its one common error instead of numbering it
    const worded = type === 'OSError' && /^file not found$/i.test(value) ? 2 : undefined;
    this.errno = match ? Number(match[1]) : worded;
    this.detail = detail;
  }
}
