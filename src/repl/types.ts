// src/repl/types.ts: the contract of the raw-REPL layer that the board layer is written against.

/** What the board can do, probed once per connection and cached. */
export interface Capabilities {
  /** Raw-paste mode (`\x05A\x01` answered with `R\x01`). */
  rawPaste: boolean;
  /** `sys.stdin.buffer.read` / `readinto` exist: binary uploads possible. */
  stdinBuffer: boolean;
  /** `sys.stdout.buffer.write` exists: binary downloads possible. */
  stdoutBuffer: boolean;
  hashlib: boolean;
  binascii: boolean;
  deflate: boolean;
  /** `os.stat` exists; when false `os.size` may (micro:bit). */
  osStat: boolean;
  /** Directories can be made (`os.mkdir` exists). */
  directories: boolean;
  /** `os.rename` exists (micro:bit v1 has none). */
  rename: boolean;
  /** `micropython.kbd_intr` exists. */
  kbdIntr: boolean;
  /** `os.statvfs` exists. */
  statvfs: boolean;
  /** `os.ilistdir` exists. */
  ilistdir: boolean;
  /** `os.getcwd` exists (boards without it have no current folder: `/`). */
  getcwd: boolean;
  /** `gc.mem_free()` after a collect, bytes. */
  memFree: number;
  /** `sys.platform`, e.g. `esp32`, `rp2`, `webassembly`. */
  platform: string;
  /** `sys.version` / `os.uname().release` text. */
  version: string;
}

/** The probe's answer as the board prints it (py/capabilities.py): 0/1 flags in PROBE_FLAGS
 * order, free heap, sys.platform, sys.version. */
export type ProbeAnswer = [flags: string, memFree: number, platform: string, version: string];

/** Options for one execution of code on the board. */
export interface ExecOptions {
  /** Called with stdout bytes as they arrive (not with the final `\x04` framing). */
  onOutput?: (data: Uint8Array) => void;
  /** Whole-execution timeout in ms; `TimeoutError` after it (the REPL is recovered with Ctrl-C). */
  timeoutMs?: number;
}

/**
 * A piece of code running on the board whose stdin/stdout the caller drives, for binary
 * protocols. `read`/`readExactly` return raw stdout bytes (no `\x04` scanning, so binary payloads
 * are safe); `finish` waits for the code to end and throws `BoardError` if it raised.
 */
export interface Execution {
  /** Exactly `n` bytes of the program's stdout. */
  readExactly(n: number, timeoutMs?: number): Promise<Uint8Array>;
  /** Stdout up to and including `marker`. */
  readUntil(marker: Uint8Array | string, timeoutMs?: number): Promise<Uint8Array>;
  /** Bytes to the program's stdin (`sys.stdin.buffer`). The caller does the flow control. */
  write(data: Uint8Array): Promise<void>;
  /** Wait for the end; returns the stdout not yet read. Throws `BoardError` on an exception. */
  finish(timeoutMs?: number): Promise<Uint8Array>;
  /** Put bytes read too far back in front of what is unread (a 0x04 that ended the stdout
   * where a protocol byte was expected: `finish` then reads the program's error). */
  unread?(data: Uint8Array): void;
  /**
   * Give up on the program (Ctrl-C on the host): interrupt it and get the board back to its raw
   * prompt, throwing away what it was still sending (binary output cannot be parsed for the
   * framing). Resolves when the session is free again; later calls throw.
   */
  abandon?(): Promise<void>;
}

/** The raw-REPL session the board layer uses (implemented by `RawRepl`). */
export interface Repl {
  /** Whether the board took code by raw-paste (`unknown` before the first exec); unset where
   * the session does not say. */
  readonly rawPaste?: 'unknown' | 'yes' | 'no';
  /** Run code to completion; returns its stdout. Throws `BoardError`, `TimeoutError`, `TransportError`. */
  exec(code: string, options?: ExecOptions): Promise<Uint8Array>;
  /** Run code and return a handle to drive its stdin/stdout while it runs. */
  start(code: string): Promise<Execution>;
  /** Evaluate a Python expression whose repr is a literal (int, str, bytes, list, dict, …). */
  eval(expression: string, options?: ExecOptions): Promise<unknown>;
  /** Probe once per connection, then cached. */
  capabilities(): Promise<Capabilities>;
  /** Take capabilities learned another way (a helper left on the board by an earlier
   * connection keeps the probe's answer) instead of probing. */
  adoptCapabilities?(probe: ProbeAnswer): Capabilities;
  /** One `--debug` line (why a fast path was given up, for instance); ignored without it. */
  debug?(line: string): void;
  /** Python to run (once, best effort) before the session leaves the raw REPL, e.g. to free the
   * board's RAM of helpers; replaces what was set before. */
  setCleanup?(code: string | undefined): void;
  /** Soft reset (Ctrl-D in raw REPL): globals cleared, stays in raw REPL, main.py not run. */
  softReset(): Promise<void>;
  /** Soft resets this session made so far, and restarts of the board it saw (each wipes what
   * earlier code left in the board's RAM, such as the board layer's helper). */
  readonly softResets?: number;
  /** Programs sent, soft resets and terminals opened so far on this connection: while it stays
   * the same, nothing but the board itself changed its state. */
  readonly codeSent?: number;
  /** Leave the raw REPL for the friendly one and close the link. */
  close(): Promise<void>;
}

/**
 * The user's side of the board's friendly REPL (`mpy repl`): keystrokes in, output out. While it
 * is open no code runs through the raw REPL; the next exec re-enters the raw REPL.
 */
export interface Terminal {
  /** Keystrokes to the board. */
  write(data: Uint8Array): Promise<void>;
  /** Board output as it arrives (the one listener; replaces an earlier one). */
  onData(listener: (data: Uint8Array) => void): void;
  /** Resolves when the link ends by itself (unplugged, cut), with the reason. */
  readonly lost: Promise<Error>;
  /** Stop relaying; the session stays usable. */
  close(): Promise<void>;
}

/** How `ReplSession.terminal` starts. */
export interface TerminalOptions {
  /** Soft-reset from the friendly REPL (Ctrl-D), so the board runs boot.py and main.py as at
   * power-on; the relay starts with the reset's output, not the friendly banner before it. */
  softReset?: boolean;
}

/** Something the board's code asks for through its own output (a computer folder mounted on the
 * board: src/commands/remote-folder.ts): `feed` takes each piece of output, returns what is for
 * the user and answers the requests in it through `reply` (the board's stdin). */
export interface OutputServer {
  feed(data: Uint8Array, reply: (answer: Uint8Array) => Promise<void>): Uint8Array;
}

/** What the CLI needs beyond `Repl`: interrupting, resetting and the interactive terminal. */
export interface ReplSession extends Repl {
  /** Serve `server` in the output of every exec and of the terminal from now on (undefined:
   * stop). */
  serve(server: OutputServer | undefined): void;
  /** What the link is (`/dev/ttyACM0`, `sim`), for messages. */
  readonly description: string;
  /** Send Ctrl-C to the running code (the pending exec then throws KeyboardInterrupt). */
  interrupt(): Promise<void>;
  /**
   * `listener` is called each time the board is seen to restart on its own while the link
   * stays up and nothing of ours runs (its reset button on a UART bridge, a watchdog): by the
   * reboot banner it prints. (An exec the board restarts under throws `BoardReset` instead.)
   * Returns a function that unsubscribes.
   */
  onBoardRestart(listener: () => void): () => void;
  /** `machine.reset()`, then wait for the board and re-enter the raw REPL. Throws
   * `TransportError` when the link went away with the reset (USB boards): reopen it. */
  hardReset(): Promise<void>;
  /** Leave the raw REPL and relay the friendly REPL until `Terminal.close()`. */
  terminal(options?: TerminalOptions): Promise<Terminal>;
  /** Keystrokes to the code an `exec` runs now (its `sys.stdin`; Ctrl-C interrupts it). Dropped
   * when no exec runs, or while its code is still being sent. */
  input(data: Uint8Array): Promise<void>;
  /** The board's `repr()` of an expression, as text (any value, literal or not). */
  reprOf(expression: string, options?: ExecOptions): Promise<string>;
  /** Run code without waiting for it to end (`run --no-follow`); the session is then closed. */
  launch(code: string): Promise<void>;
}
