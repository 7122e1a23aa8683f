// src/dev/runner.ts: what `mpy dev` runs on the board after each sync, on the sync's own
// connection: a soft reset from the friendly REPL (main.py runs as at power-on) or `--run FILE`
// after a raw soft reset, then the friendly prompt, with the user's keys relayed throughout.
import { pyStr } from '../board/py-literal.js';
import { BoardError, MpyError } from '../errors.js';
import type { ReplSession, Terminal } from '../repl/types.js';
import { type AfterSync, type BoardSession, isLinkError } from '../sync/session.js';

/** `main`: soft reset, the board runs main.py itself; `run`: soft reset, then run `path`
 * (`optional`: when the board has it). */
export type DevProgram = { kind: 'main' } | { kind: 'run'; path: string; optional?: boolean };

/** main.py on a link the board closes as it reboots (WebREPL): what the board prints before mpy
 * is logged in again goes to its UART only, so after a raw soft reset (boot.py runs, main.py
 * not) main.py runs from the raw REPL, from the folder the board runs it from. */
const MAIN_FROM_RAW_REPL: DevProgram = { kind: 'run', path: 'main.py', optional: true };

/** A program runs until the next change interrupts it: no exec timeout (setTimeout's maximum). */
const PROGRAM_TIMEOUT_MS = 2 ** 31 - 1;
/** Keys typed while nothing on the board listens (a sync runs) wait, up to this many bytes. */
const QUEUE_MAX = 4096;

/** Where the runner's output goes. */
export interface DevRunnerOutput {
  /** Board output, as it arrives. */
  show(data: Uint8Array): void;
  /** A line of ours (a `--run` program that stopped without a traceback). */
  status(line: string): void;
  /** Make what is shown next start a line (a program run again from the prompt). */
  freshLine(): void;
}

/**
 * Starts the program after each sync and keeps the board's terminal open until the next one.
 * Calls are serialized: `stop` waits for a `start` under way, and the other way round.
 */
export class DevRunner implements AfterSync {
  private phase: 'idle' | 'program' | 'terminal' = 'idle';
  private repl: ReplSession | undefined;
  private session: BoardSession | undefined;
  private terminal: Terminal | undefined;
  private program: Promise<unknown> | undefined;
  /** Stopped by `prepare` for a save whose sync has not started the program again yet. */
  private early = false;
  /** Bumped by every stop: a program's end from before it opens no terminal. */
  private generation = 0;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private tail: Promise<unknown> = Promise.resolve();

  /** What runs on the current connection (see `MAIN_FROM_RAW_REPL`). */
  private mode: DevProgram;

  constructor(
    private readonly asked: DevProgram,
    private readonly out: DevRunnerOutput,
  ) {
    this.mode = asked;
  }

  /** Ctrl-D at an empty prompt is ours to run the program again (`--run`, or main.py run from
   * the raw REPL), not the board's soft reset. */
  get rerunsOnCtrlD(): boolean {
    return this.mode.kind === 'run';
  }

  start(session: BoardSession): Promise<void> {
    return this.serial(() => this.startNow(session));
  }

  stop(): Promise<void> {
    return this.serial(() => this.stopNow());
  }

  /** Stop what runs and start it again on the same connection (Ctrl-D with `--run`). */
  rerun(): Promise<void> {
    return this.serial(async () => {
      const session = this.session;
      await this.stopNow();
      if (session) await this.startNow(session);
    });
  }

  /**
   * A save is coming (the first file event of a burst): stop the program and get the board
   * ready for the sync now, during the quiet time that ends the burst, instead of after it.
   */
  prepare(): void {
    void this.serial(async () => {
      const session = this.session;
      if (this.phase === 'idle' || !session) return;
      await this.stopNow();
      this.early = true;
      // Enters the raw REPL (interrupting what runs) and sends the helper the soft reset wiped,
      // so the sync after the quiet time finds both ready: an edit is a patch.
      await session.board.prepare?.('patch');
    }).catch(() => undefined);
  }

  /** A burst's sync is over: if it changed nothing after `prepare` stopped the program (a file
   * saved unchanged), start the program again. */
  afterBurst(): void {
    void this.serial(async () => {
      if (!this.early || this.phase !== 'idle' || !this.session) return;
      await this.startNow(this.session);
    }).catch((error: Error) => this.out.status(`run failed: ${error.message}`));
  }

  /** Keys for the board: its REPL, the running program's stdin, or the queue until one listens. */
  keys(data: Uint8Array): void {
    if (this.phase === 'terminal' && this.terminal) {
      // A failed write is a lost link, which the syncer notices and reconnects.
      this.terminal.write(data).catch(() => undefined);
    } else if (this.phase === 'program' && this.repl) {
      this.repl.input(data).catch(() => undefined);
    } else if (this.queuedBytes + data.length <= QUEUE_MAX) {
      this.queued.push(data.slice());
      this.queuedBytes += data.length;
    }
  }

  private async startNow(session: BoardSession): Promise<void> {
    await this.stopNow();
    this.early = false;
    const repl = replSessionOf(session);
    this.session = session;
    this.repl = repl;
    this.mode =
      this.asked.kind === 'main' && session.rebootClosesLink ? MAIN_FROM_RAW_REPL : this.asked;
    if (this.mode.kind === 'main') {
      await this.openTerminal(repl, true);
      return;
    }
    await repl.softReset();
    const generation = this.generation;
    this.phase = 'program';
    const options = {
      onOutput: (data: Uint8Array) => this.out.show(data),
      timeoutMs: PROGRAM_TIMEOUT_MS,
    };
    this.out.freshLine();
    const code = runInMainCode(this.mode.path, this.mode.optional === true);
    const program = repl.exec(code, options).then(
      () => undefined,
      (error: unknown) => error,
    );
    this.program = program;
    void program.then((error) =>
      this.serial(async () => {
        if (generation !== this.generation) return;
        this.program = undefined;
        if (error !== undefined && isLinkError(error)) {
          // The syncer reconnects, resyncs and starts the program again.
          this.phase = 'idle';
          return;
        }
        this.reportEnd(error);
        await this.openTerminal(repl, false);
      }),
    );
  }

  private async stopNow(): Promise<void> {
    this.generation++;
    const program = this.program;
    this.program = undefined;
    if (program) {
      await this.repl?.interrupt().catch(() => undefined);
      await program;
    }
    const terminal = this.terminal;
    this.terminal = undefined;
    this.phase = 'idle';
    await terminal?.close();
  }

  private async openTerminal(repl: ReplSession, softReset: boolean): Promise<void> {
    const terminal = await repl.terminal({ softReset });
    terminal.onData((data) => this.out.show(data));
    this.terminal = terminal;
    this.phase = 'terminal';
    const queued = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    for (const data of queued) await terminal.write(data);
  }

  /** A `--run` program's traceback is shown as the friendly REPL would show it. */
  private reportEnd(error: unknown): void {
    if (error === undefined) return;
    if (error instanceof BoardError && error.traceback) {
      this.out.show(Buffer.from(error.traceback.replace(/\r?\n/g, '\r\n')));
      return;
    }
    this.out.status(`the program stopped: ${(error as Error).message}`);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** `mpy dev` needs the whole session (terminal, input), not only what `watch` runs code with. */
function replSessionOf(session: BoardSession): ReplSession {
  const repl = session.repl as Partial<ReplSession> | undefined;
  if (!repl || typeof repl.terminal !== 'function' || typeof repl.input !== 'function') {
    throw new MpyError('mpy dev needs a raw-REPL session with a terminal');
  }
  return repl as ReplSession;
}

/** Code that runs a board file in the REPL's own globals (fresh after the soft reset), so that
 * after Ctrl-C the prompt sees the program's variables, as it does main.py's. The path reaches
 * it only as a literal. `optional`: nothing when the file is not there (binds no name). */
export function runInMainCode(path: string, optional = false): string {
  const run = `exec(open(${pyStr(path)}).read(),globals())`;
  if (!optional) return `${run}\n`;
  return `try:open(${pyStr(path)}).close()\nexcept OSError:pass\nelse:${run}\n`;
}
