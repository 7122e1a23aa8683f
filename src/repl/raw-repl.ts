// src/repl/raw-repl.ts: a raw-REPL session over any Transport: enter, exec (raw-paste or paced
// plain raw mode), eval, capabilities, soft/hard reset, terminal, and recovery after timeouts.
import { BoardError, TimeoutError, TransportError } from '../errors.js';
import { ByteReader } from '../transport/reader.js';
import type { Transport } from '../transport/transport.js';
import { type PasteSupport, type SendLink, StalePrompt, sendCode } from './code-sender.js';
import { enterRawRepl, FIRST_ATTEMPT, QUIET_MS } from './enter.js';
import { parsePythonLiteral } from './literal.js';
import { readResult } from './output.js';
import {
  BOARD_RESET,
  CTRL_A,
  CTRL_B,
  CTRL_C,
  CTRL_D,
  FRIENDLY_PROMPT,
  parseBoardError,
  RAW_BANNER,
  SOFT_REBOOT,
  showsReboot,
} from './protocol.js';
import { loadReplPython } from './python.js';
import { RunningCode } from './running-code.js';
import { openTerminal } from './terminal.js';
import type {
  Capabilities,
  ExecOptions,
  Execution,
  OutputServer,
  ProbeAnswer,
  ReplSession,
  Terminal,
  TerminalOptions,
} from './types.js';

/** The features py/capabilities.py tries, in the order of the flags it prints. */
const PROBE_FLAGS = [
  'stdinBuffer',
  'stdoutBuffer',
  'hashlib',
  'binascii',
  'deflate',
  'osStat',
  'directories',
  'rename',
  'kbdIntr',
  'statvfs',
  'ilistdir',
  'getcwd',
] as const satisfies readonly (keyof Capabilities)[];

/** True when `value` has the shape of the probe's answer. */
export function isProbeAnswer(value: unknown): value is ProbeAnswer {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    typeof value[0] === 'string' &&
    /^[01]*$/.test(value[0]) &&
    typeof value[1] === 'number' &&
    typeof value[2] === 'string' &&
    typeof value[3] === 'string'
  );
}

/** The probe's answer that `caps` came from (to keep it on the board for the next connection). */
export function probeAnswerOf(caps: Capabilities): ProbeAnswer {
  const flags = PROBE_FLAGS.map((name) => (caps[name] ? '1' : '0')).join('');
  return [flags, caps.memFree, caps.platform, caps.version];
}

/** Capabilities from the probe's answer (flags missing at the end count as absent). */
export function capabilitiesFromProbe(probe: ProbeAnswer, rawPaste: boolean): Capabilities {
  const [flags, memFree, platform, version] = probe;
  const caps = { rawPaste, memFree, platform, version } as Capabilities;
  for (const [i, name] of PROBE_FLAGS.entries()) caps[name] = flags[i] === '1';
  return caps;
}

/** Options of `RawRepl.connect`. */
export interface RawReplOptions {
  /** Soft-reset once connected (clean globals; main.py is not run). Default false. */
  softReset?: boolean;
  /** Link speed, used to pace plain raw mode. Default 115200. */
  baud?: number;
  /** How long to keep trying to reach the raw prompt (a just-plugged board boots). Default 10 s. */
  connectTimeoutMs?: number;
  /** Longest wait for one protocol answer (raw-paste header, `OK`, window). Default 10 s. */
  answerTimeoutMs?: number;
  /** Default whole-execution timeout of `exec`/`eval`. Default 30 s. */
  execTimeoutMs?: number;
  /** Where `--debug` lines go (why a fast path was given up); unset: nowhere. */
  debug?: (line: string) => void;
}

/** Programs longer than this are checked against the free heap on boards without raw-paste. */
const BIG_PROGRAM = 2048;
/** Output the board sent on its own that is kept to look for its reboot banner. */
const UNASKED_KEEP = 512;

/** Where the board is: at the raw prompt, running our code, in the friendly REPL, or unknown. */
type State = 'raw' | 'busy' | 'friendly' | 'detached' | 'unknown' | 'closed';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The session the rest of mpy talks to the board through. One operation at a time. */
export class RawRepl implements ReplSession {
  readonly reader: ByteReader;
  private state: State = 'unknown';
  private paste: PasteSupport = 'unknown';
  /** Ctrl-C was sent to the code now running. */
  private interrupted = false;
  private resets = 0;
  private sentCount = 0;
  /** The raw prompt was taken without waiting for quiet (enter.ts `confirmLater`): the next
   * exec's raw-paste answer confirms it, or anything else checks it first (`settle`). */
  private unconfirmed = false;
  /** An exec's code has been sent and runs: its stdin is the user's (`input`). */
  private running = false;
  private cachedCapabilities: Capabilities | undefined;
  private cleanup: string | undefined;
  /** The raw-paste window, on links where code may go out with the request (see SendLink). */
  private readonly early: { window: number } | undefined;
  private server: OutputServer | undefined;
  private tail: Promise<void> = Promise.resolve();
  /** Operations holding or waiting for the session: while none does, the board is silent. */
  private holders = 0;
  /** What the board sent on its own since it left the raw prompt while idle; undefined while
   * nothing did (or its reboot was reported). */
  private unasked: string | undefined;
  private readonly restartListeners = new Set<() => void>();
  private readonly stopNoticing: () => void;
  private readonly baud: number;
  private readonly answerMs: number;
  private readonly execMs: number;

  private constructor(
    readonly transport: Transport,
    private readonly options: RawReplOptions,
  ) {
    this.reader = new ByteReader(transport);
    this.stopNoticing = transport.onData((data) => this.noticeUnasked(data));
    // A link that keeps bytes safe itself may send the first raw-paste window unasked.
    this.early = transport.bufferedBytes ? { window: 0 } : undefined;
    this.baud = options.baud ?? 115200;
    this.answerMs = options.answerTimeoutMs ?? 10_000;
    this.execMs = options.execTimeoutMs ?? 30_000;
  }

  /**
   * Interrupt whatever runs and enter the raw REPL (optionally soft-resetting). Closes the
   * transport and throws `TransportError` (with the bytes received) when the board never answers.
   */
  static async connect(transport: Transport, options: RawReplOptions = {}): Promise<RawRepl> {
    const repl = new RawRepl(transport, options);
    try {
      // A link that sent the first attempt as it opened (WebREPL, with the login) has its
      // answer on the way: listen for it instead of asking again.
      const sent = transport.sentAtOpen;
      const firstSent = sent !== undefined && Buffer.from(sent).equals(FIRST_ATTEMPT);
      await repl.enter(options.connectTimeoutMs ?? 10_000, firstSent, true);
      if (options.softReset) await repl.softReset();
    } catch (error) {
      await repl.close();
      throw error;
    }
    return repl;
  }

  get codeSent(): number {
    return this.sentCount;
  }

  get softResets(): number {
    return this.resets;
  }

  get description(): string {
    return this.transport.description;
  }

  /** Raw-paste support as learned so far (`unknown` before the first exec). */
  get rawPaste(): PasteSupport {
    return this.paste;
  }

  serve(server: OutputServer | undefined): void {
    this.server = server;
  }

  onBoardRestart(listener: () => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  async exec(code: string, options: ExecOptions = {}): Promise<Uint8Array> {
    return this.exclusive(async () => {
      const timeout = this.deadline(options.timeoutMs ?? this.execMs);
      try {
        await this.send(code, timeout);
        this.running = true;
        const { server } = this;
        const shown: Uint8Array[] = [];
        const onOutput = server
          ? (data: Uint8Array) => {
              const out = server.feed(data, (answer) => this.transport.write(answer));
              shown.push(out);
              if (out.length > 0) options.onOutput?.(out);
            }
          : options.onOutput;
        const result = await readResult(this.reader, timeout, onOutput);
        this.state = 'raw';
        if (result.stderr.length > 0) throw parseBoardError(decoder.decode(result.stderr));
        return server ? Buffer.concat(shown) : result.stdout;
      } catch (error) {
        throw await this.afterFailure(error, options.timeoutMs ?? this.execMs, timeout() === 0);
      } finally {
        this.running = false;
      }
    });
  }

  async start(code: string): Promise<Execution> {
    const release = await this.acquire();
    try {
      await this.send(code, this.deadline(this.execMs));
    } catch (error) {
      // Recover while still holding the session, then let the next operation in. Each wait of a
      // started program has its own limit, which the timeout's message gives: not execMs.
      const failure = await this.afterFailure(error, this.execMs, false);
      release();
      throw failure;
    }
    return new RunningCode({
      reader: this.reader,
      transport: this.transport,
      answerMs: this.answerMs,
      execMs: this.execMs,
      done: async (error) => {
        try {
          if (error) return await this.afterFailure(error, this.execMs, false);
          this.state = 'raw';
          return undefined;
        } finally {
          release();
        }
      },
    });
  }

  async eval(expression: string, options: ExecOptions = {}): Promise<unknown> {
    return parsePythonLiteral(await this.reprOf(expression, options));
  }

  async reprOf(expression: string, options: ExecOptions = {}): Promise<string> {
    // A newline before the closing parentheses keeps a trailing comment from eating them.
    const out = await this.exec(`print(repr(${expression}\n))`, options);
    return decoder.decode(out).replace(/\r?\n$/, '');
  }

  async capabilities(): Promise<Capabilities> {
    if (this.cachedCapabilities) return this.cachedCapabilities;
    const out = decoder.decode(await this.exec(loadReplPython('capabilities.py')));
    let probe: unknown;
    try {
      probe = parsePythonLiteral(out);
    } catch {
      probe = undefined;
    }
    if (!isProbeAnswer(probe)) {
      throw new TransportError(`unexpected capability probe answer: ${out.slice(0, 200)}`);
    }
    return this.adoptCapabilities(probe);
  }

  adoptCapabilities(probe: ProbeAnswer): Capabilities {
    this.cachedCapabilities = capabilitiesFromProbe(probe, this.paste === 'yes');
    return this.cachedCapabilities;
  }

  debug(line: string): void {
    this.options.debug?.(line);
  }

  setCleanup(code: string | undefined): void {
    this.cleanup = code;
  }

  async softReset(): Promise<void> {
    await this.exclusive(async () => {
      await this.settle();
      this.state = 'busy';
      // A link the reboot closed and re-opened (WebREPL) missed the banner: Ctrl-A in the raw
      // REPL prints it again.
      let reconnected = false;
      const resync = this.transport.onReconnect?.(() => {
        reconnected = true;
        void this.write(Uint8Array.of(CTRL_A)).catch(() => undefined);
      });
      this.sentCount++;
      try {
        await this.write(Uint8Array.of(CTRL_D));
        this.resets++;
        // boot.py may print between the two.
        await this.reader.readUntil(SOFT_REBOOT, this.answerMs);
        await this.reader.readUntil(RAW_BANNER, this.answerMs);
      } finally {
        resync?.();
      }
      if (reconnected) {
        // The new connection may carry the banner the board printed as it came up as well as
        // the one Ctrl-A asked for, in either order with the one just read; the next exec would
        // take a late one for its answer. Ctrl-B's friendly prompt comes after both: what
        // precedes it is stale, and the Ctrl-A after it gives the banner to go on from.
        await this.write(Uint8Array.of(CTRL_B, CTRL_A));
        await this.reader.readUntil(`\r\n${FRIENDLY_PROMPT}`, this.answerMs);
        await this.reader.readUntil(RAW_BANNER, this.answerMs);
      }
      this.state = 'raw';
    });
  }

  async interrupt(): Promise<void> {
    if (this.state === 'busy' || this.state === 'detached') {
      this.interrupted = true;
      await this.write(Uint8Array.of(CTRL_C));
    }
  }

  async input(data: Uint8Array): Promise<void> {
    if (!this.running || this.state !== 'busy') return;
    if (data.includes(CTRL_C)) this.interrupted = true;
    await this.write(data);
  }

  async hardReset(): Promise<void> {
    await this.exclusive(async () => {
      const timeout = this.deadline(this.answerMs);
      await this.send('import machine\nmachine.reset()', timeout);
      try {
        // A board without machine.reset answers with an error right away.
        const result = await readResult(this.reader, () => Math.min(timeout(), 1500));
        this.state = 'raw';
        if (result.stderr.length > 0) throw parseBoardError(decoder.decode(result.stderr));
      } catch (error) {
        const rebooted = error instanceof BoardError && error.type === BOARD_RESET;
        if (!(rebooted || error instanceof TimeoutError || error instanceof TransportError)) {
          throw error;
        }
      }
      if (this.reader.closed) {
        this.state = 'closed';
        throw new TransportError(`${this.description} went away with the reset`, {
          cause: this.reader.closed,
        });
      }
      await this.enter(15_000);
    });
  }

  async terminal(options: TerminalOptions = {}): Promise<Terminal> {
    const release = await this.acquire();
    try {
      await this.settle();
      await this.write(Uint8Array.of(CTRL_B));
      this.state = 'friendly';
      this.sentCount++; // the user types at the prompt
      if (options.softReset) {
        // The banner Ctrl-B prints is no news; what the reset prints (main.py's output) is.
        await this.reader.readUntil(FRIENDLY_PROMPT, this.answerMs);
        await this.write(Uint8Array.of(CTRL_D));
        this.resets++;
      }
    } catch (error) {
      release();
      throw error;
    }
    return openTerminal(this.reader, this.transport, release, this.server);
  }

  async launch(code: string): Promise<void> {
    await this.exclusive(async () => {
      await this.send(code, this.deadline(this.answerMs));
      this.state = 'detached';
    });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    try {
      // 'raw': nothing of ours runs, so the cleanup may run before the board is left.
      if (this.state === 'raw' && this.cleanup && !this.reader.closed) {
        await this.exec(this.cleanup, { timeoutMs: 3000 }).catch(() => undefined);
      }
      // Leave the friendly REPL behind, as a user expects to find the board.
      if (this.state === 'raw' && !this.reader.closed) await this.write(Uint8Array.of(CTRL_B));
    } catch {
      // The link is going away anyway.
    }
    this.state = 'closed';
    this.stopNoticing();
    this.reader.dispose();
    await this.transport.close();
  }

  private async send(code: string, timeout: () => number): Promise<void> {
    // Ctrl-D after nothing at the raw prompt is a soft reset, not an empty program
    const bytes = encoder.encode(code === '' ? '\n' : code);
    // checkFits asks first, by an exchange that does not confirm the prompt
    if (bytes.length > BIG_PROGRAM && this.paste !== 'yes') await this.settle();
    await this.ensureRaw();
    this.state = 'busy';
    this.interrupted = false;
    this.sentCount++;
    const link: SendLink = {
      reader: this.reader,
      write: (data: Uint8Array) => this.write(data),
      answerTimeout: () => Math.min(timeout(), this.answerMs),
      baud: this.baud,
      ...(this.early ? { early: this.early } : {}),
      ...(this.unconfirmed ? { strict: true } : {}),
    };
    this.unconfirmed = false;
    if (bytes.length > BIG_PROGRAM && this.paste !== 'yes')
      await this.checkFits(link, bytes.length);
    const before = this.paste;
    try {
      this.paste = await sendCode(link, bytes, before);
    } catch (error) {
      if (error instanceof StalePrompt) {
        // Nothing was sent: enter the raw REPL the careful way and send the code as usual.
        this.debug(`${error.message}: entering again`);
        link.strict = false;
        await this.enter(this.answerMs);
        this.state = 'busy';
        this.paste = await sendCode(link, bytes, 'unknown');
        return;
      }
      // Raw-paste that the board offered but does not carry out (no window grants, odd bytes)
      // is given up for this connection; the code goes again the plain way.
      const odd = error instanceof TimeoutError || error instanceof TransportError;
      if (before !== 'unknown' || !odd || this.reader.closed) throw error;
      this.debug(`raw-paste failed (${(error as Error).message}): plain raw REPL from now on`);
      this.paste = 'no';
      await this.enter(this.answerMs);
      this.state = 'busy';
      await sendCode(link, bytes, 'no');
      return;
    }
    if (before === 'unknown' && this.paste === 'no') {
      this.debug('the board has no raw-paste: plain raw REPL, paced to the wire');
    }
  }

  /**
   * Without raw-paste a board keeps the whole program in RAM before compiling it; one longer
   * than its free heap fails, or on old firmware (micro:bit v1) hangs the board for good. Ask
   * first (which also learns whether raw-paste exists) and refuse what cannot fit.
   */
  private async checkFits(link: SendLink, size: number): Promise<void> {
    const ask = encoder.encode('import gc\ngc.collect()\nprint(gc.mem_free())');
    this.paste = await sendCode(link, ask, this.paste);
    const result = await readResult(this.reader, () => link.answerTimeout());
    const free = Number(decoder.decode(result.stdout).trim());
    if (this.paste === 'no' && Number.isFinite(free) && size + 256 > free) {
      this.state = 'raw';
      throw new BoardError(
        'MemoryError',
        `a ${size}-byte program does not fit in this board's ${free} bytes of free heap ` +
          '(without raw-paste it is kept whole before it runs): copy it to the board and import it',
        '',
      );
    }
  }

  private async ensureRaw(): Promise<void> {
    if (this.state === 'closed') throw new TransportError(`${this.description} is closed`);
    if (this.state !== 'raw') await this.enter(this.options.connectTimeoutMs ?? 10_000);
  }

  /** Before an exchange that cannot confirm the prompt itself (a reset, the terminal): wait for
   * the quiet that the connect did not wait for, and enter again if the board was not quiet. */
  private async settle(): Promise<void> {
    await this.ensureRaw();
    if (!this.unconfirmed) return;
    this.unconfirmed = false;
    const late = await this.reader.drain(QUIET_MS, QUIET_MS * 2);
    if (late.length > 0) {
      this.debug(`the board printed after the raw prompt (${late.length} bytes): entering again`);
      await this.enter(this.options.connectTimeoutMs ?? 10_000);
    }
  }

  private async enter(timeoutMs: number, firstSent = false, confirmLater = false): Promise<void> {
    this.state = 'unknown';
    const quiet = await enterRawRepl(this.reader, (data) => this.write(data), timeoutMs, {
      lossless: this.early !== undefined,
      firstSent,
      // the first exec's raw-paste request confirms the prompt (only while that is how code
      // goes: a board known to lack raw-paste gets the quiet wait)
      confirmLater: confirmLater && this.early === undefined && this.paste === 'unknown',
    });
    this.unconfirmed = !quiet;
    this.state = 'raw';
  }

  /** Turn a failure into the error to throw, recovering the REPL after a timeout. */
  private async afterFailure(
    error: unknown,
    timeoutMs: number,
    deadlinePassed = true,
  ): Promise<unknown> {
    if (error instanceof BoardError && error.type === BOARD_RESET) {
      this.state = 'unknown';
      // Some boards (the virtual one on a loop it cannot break) restart instead of raising.
      if (this.interrupted) return new BoardError('KeyboardInterrupt', '', error.traceback);
      return error;
    }
    if (error instanceof BoardError) {
      this.state = 'raw';
      return error;
    }
    if (this.state !== 'closed') this.state = 'unknown';
    if (!(error instanceof TimeoutError) || this.reader.closed) return error;
    try {
      await this.enter(3000);
    } catch {
      // Left 'unknown': the next operation tries again.
    }
    // The whole run's limit, or one answer that did not come (raw-paste window, `OK`).
    const what =
      Number.isFinite(timeoutMs) && deadlinePassed
        ? `did not finish within ${timeoutMs} ms`
        : `stopped answering (${error.message})`;
    return new TimeoutError(`${this.description} ${what}; interrupted it`, { cause: error });
  }

  private async write(data: Uint8Array): Promise<void> {
    if (this.reader.closed) throw this.reader.closed;
    await this.transport.write(data);
  }

  private deadline(ms: number): () => number {
    const end = Date.now() + ms;
    return () => Math.max(0, end - Date.now());
  }

  private acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = () => {
        this.holders--;
        resolve();
      };
    });
    this.holders++;
    this.unasked = undefined;
    const previous = this.tail;
    this.tail = previous.then(() => next);
    return previous.then(() => release);
  }

  /**
   * Bytes that came while no operation ran. The raw REPL prints nothing by itself, so the board
   * left its raw prompt on its own (its reset button, a watchdog, its own `machine.reset()`):
   * the next operation enters the raw REPL again, instead of sending code to a friendly prompt
   * and waiting out the answer timeout. Its reboot banner among them is reported.
   */
  private noticeUnasked(data: Uint8Array): void {
    if (this.holders > 0) return;
    if (this.state === 'raw') {
      this.state = 'unknown';
      this.unasked = '';
    }
    if (this.unasked === undefined) return;
    this.unasked = (this.unasked + decoder.decode(data)).slice(-UNASKED_KEEP);
    if (showsReboot(this.unasked)) {
      this.unasked = undefined;
      this.boardRestarted();
    }
  }

  /** The board restarted by itself: what earlier code left in its RAM (the helper) is gone. */
  private boardRestarted(): void {
    this.resets++;
    this.sentCount++;
    for (const listener of this.restartListeners) listener();
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
