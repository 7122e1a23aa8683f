// src/sync/run.ts: what `mpy watch` runs on the board after each sync: `--run FILE` runs a board
// file and streams its output until the next change interrupts it; `--reset` soft-resets and then
// runs /main.py the same way (a raw-REPL soft reset does not run main.py by itself).
import { pyStr } from '../board/py-literal.js';
import { BoardError } from '../errors.js';
import { BOARD_RESET } from '../repl/protocol.js';
import type { AfterSync, BoardSession, ProgramRepl } from './session.js';

/** A program runs until the next change interrupts it: no exec timeout (setTimeout's maximum). */
const PROGRAM_TIMEOUT_MS = 2 ** 31 - 1;

/** `reset`: soft reset, then run /main.py when the board has one; `run`: run `path`. */
export type RunMode = { kind: 'reset' } | { kind: 'run'; path: string };

/** Runs the program after each sync; `stop` interrupts it (Ctrl-C) before the next one. */
export class ProgramRunner implements AfterSync {
  private running: Promise<void> | undefined;
  private repl: ProgramRepl | undefined;

  constructor(
    private readonly mode: RunMode,
    /** The program's output, as it arrives. */
    private readonly output: (data: Uint8Array) => void,
    private readonly log: (line: string) => void = () => {},
    /** The board restarted under the program (its reset button): sync and run it again. */
    private readonly boardRestarted: () => void = () => {},
  ) {}

  async start(session: BoardSession): Promise<void> {
    await this.stop();
    const repl = session.repl;
    if (!repl) return;
    let path = '/main.py';
    if (this.mode.kind === 'reset') {
      await repl.softReset();
      this.log('soft reset');
      if (!(await session.board.stat(path))) return;
    } else {
      path = this.mode.path;
    }
    this.log(`running ${path}`);
    this.repl = repl;
    const options = { onOutput: this.output, timeoutMs: PROGRAM_TIMEOUT_MS };
    this.running = repl.exec(runFileCode(path), options).then(
      () => this.log(`${path} ended`),
      (error: unknown) => this.reportEnd(path, error),
    );
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    let finished = false;
    void running.then(() => {
      finished = true;
    });
    // Let an already finished program settle before deciding to interrupt it.
    await Promise.resolve();
    if (!finished) {
      try {
        await this.repl?.interrupt();
      } catch {
        // The link is gone; the exec below fails on its own.
      }
    }
    await running;
  }

  private reportEnd(path: string, error: unknown): void {
    if (error instanceof BoardError && error.type === 'KeyboardInterrupt') return;
    if (error instanceof BoardError && error.type === BOARD_RESET) {
      this.boardRestarted();
      return;
    }
    if (error instanceof BoardError) {
      this.log(`${path} raised ${error.type}:\n${error.traceback.trimEnd()}`);
      return;
    }
    this.log(`${path} stopped: ${(error as Error).message}`);
  }
}

/** Code that runs a board file as the main program. The path reaches it only as a literal. */
export function runFileCode(path: string): string {
  return `exec(open(${pyStr(path)}).read(),{'__name__':'__main__'})\n`;
}
