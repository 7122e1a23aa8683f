// src/commands/context.ts: the CommandContext the CLI hands to commands: one lazily opened
// connection (transport + raw REPL) shared by `+`-chained commands, output, and Ctrl-C.
import type { Board } from '../board/board.js';
import type { BoardFs } from '../board/types.js';
import { BoardError, MpyError, TransportError, UsageError } from '../errors.js';
import { FIRST_ATTEMPT } from '../repl/enter.js';
import type { RawRepl } from '../repl/raw-repl.js';
import type { Repl, ReplSession } from '../repl/types.js';
import type { OpenOptions } from '../transport/open.js';
import { PendingWrites } from './pending.js';
import type { CommandContext } from './types.js';

/** How to reach the board, from the global options. */
export interface ConnectOptions extends OpenOptions {
  /** `-d/--device`: `auto`, a port, `socket://…`, `sim…`. */
  device: string;
  /** Soft-reset right after connecting. */
  softReset?: boolean;
  /** Where `--debug` lines of the session go. */
  debug?: (line: string) => void;
}

/** Where the context writes. */
export interface ContextIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

/** How long a board may take to come back after `machine.reset()` (USB re-enumeration). */
const RECONNECT_MS = 15_000;

/** The context of one `mpy` invocation. */
export class SessionContext implements CommandContext {
  readonly signal: AbortSignal;
  private opened: Promise<RawRepl> | undefined;
  /** `--soft-reset` still to be done on the open link: at the first command that uses it, so a
   * `resume` after `connect` (which opens at once) can still cancel it. */
  private resetDue = false;
  private boardFs: Board | undefined;
  /** The computer's note of writes under way on the open link's device (./pending.ts). */
  private journal: PendingWrites | undefined;
  private folder: Promise<string> | undefined;
  private closing: (() => unknown)[] = [];
  /** A copy: `connect` changes the device. */
  private readonly connection: ConnectOptions;

  constructor(
    connection: ConnectOptions,
    private readonly io: ContextIo,
    signal: AbortSignal,
  ) {
    this.connection = { ...connection };
    this.signal = signal;
  }

  get isTTY(): boolean {
    return this.io.stdout.isTTY === true;
  }

  /** True once a command has connected. */
  get connected(): boolean {
    return this.opened !== undefined;
  }

  repl(): Promise<Repl> {
    return this.session();
  }

  /** The raw-REPL session with interrupt, reset and terminal (connects on first call, and
   * soft-resets then when `--soft-reset` asks for it). */
  async session(): Promise<ReplSession> {
    const repl = await this.link();
    if (this.resetDue) {
      this.resetDue = false;
      await repl.softReset();
    }
    return repl;
  }

  /** The open link, opened on first call; no soft reset yet. */
  private link(): Promise<RawRepl> {
    this.opened ??= this.open().catch((error: unknown) => {
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }

  async board(): Promise<BoardFs> {
    const repl = await this.session();
    // Loaded on first use: an exec's start-up does not pay for the file layer.
    const [{ Board }, { RawRepl }] = await Promise.all([
      import('../board/board.js'),
      import('../repl/raw-repl.js'),
    ]);
    if (!this.boardFs || this.boardFs.repl !== repl) {
      const transport = repl instanceof RawRepl ? repl.transport : undefined;
      const linkBuffer = transport?.bufferedBytes;
      this.boardFs = new Board(repl, {
        packDownloads: packDownloads(transport?.description, linkBuffer),
        ...(this.journal ? { journal: this.journal } : {}),
        ...(linkBuffer ? { linkBuffer } : {}),
        ...(transport?.files ? { files: transport.files, waUploads: waUploads() } : {}),
      });
      this.folder = undefined;
    }
    return this.boardFs;
  }

  boardFolder(): Promise<string> {
    this.folder ??= this.board()
      .then(async (board) => (await board.currentFolder?.()) ?? '/')
      .catch((error: unknown) => {
        this.folder = undefined;
        throw error;
      });
    return this.folder;
  }

  forgetBoardFolder(): void {
    this.folder = undefined;
  }

  /** Do not soft-reset the connection about to be opened (`resume` after `--soft-reset`). */
  keepState(): void {
    this.connection.softReset = false;
    this.resetDue = false;
  }

  /** Close the link and use `device` from now on (mpremote's `connect`); opens it at once, so a
   * missing port fails here, and leaves `--soft-reset` to the first command that uses it. */
  async connectTo(device: string): Promise<void> {
    await this.close();
    this.connection.device = device;
    await this.link();
  }

  out(text: string | Uint8Array): void {
    this.io.stdout.write(text);
  }

  err(text: string): void {
    this.io.stderr.write(text);
  }

  /** `machine.reset()` and connect again, also when the USB port went away and came back. */
  async hardReset(): Promise<void> {
    const session = await this.session();
    try {
      await session.hardReset();
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      await this.reopen();
    }
  }

  atClose(step: () => unknown): void {
    this.closing.unshift(step);
  }

  /** Leave the board in its friendly REPL and close the link. */
  async close(): Promise<void> {
    const steps = this.closing;
    this.closing = [];
    for (const step of steps) await step();
    const opened = this.opened;
    this.opened = undefined;
    this.resetDue = false;
    this.folder = undefined;
    if (!opened) return;
    const repl = await opened.catch(() => undefined);
    await repl?.close();
  }

  private async open(): Promise<RawRepl> {
    const { device, softReset, debug, ...link } = this.connection;
    // Neither the link's code nor the REPL layer loads with the CLI, so commands that do not
    // connect start sooner; the REPL layer loads while a WebREPL login waits on the network.
    // WebREPL sends the raw-REPL entry with the password; other links ignore `afterLogin`.
    let replLayer: Promise<typeof import('../repl/raw-repl.js')> | undefined;
    const loadRepl = () => {
      replLayer ??= import('../repl/raw-repl.js');
      return replLayer;
    };
    const { openTransport } = await import('../transport/open.js');
    const transport = await openTransport(device, {
      ...link,
      afterLogin: FIRST_ATTEMPT,
      // A failed import shows at the await below; a failed open leaves it unasked for.
      whileWaiting: () => void loadRepl().catch(() => {}),
    });
    const { RawRepl } = await loadRepl();
    const repl = await RawRepl.connect(transport, {
      ...(link.baud ? { baud: link.baud } : {}),
      ...(debug ? { debug } : {}),
    });
    this.journal = new PendingWrites(transport.description);
    await sweepLeft(repl, this.journal, debug);
    this.resetDue = softReset === true;
    return repl;
  }

  /** Poll for the port to come back (a USB board re-enumerates after a reset). */
  private async reopen(): Promise<void> {
    await this.close();
    const deadline = Date.now() + RECONNECT_MS;
    for (;;) {
      try {
        await this.session();
        return;
      } catch (error) {
        if (!(error instanceof TransportError) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}

/** The session behind a context: commands that interrupt or open a terminal need it. */
export async function sessionOf(context: CommandContext): Promise<ReplSession> {
  if (context instanceof SessionContext) return context.session();
  const repl = await context.repl();
  if ('terminal' in repl && 'interrupt' in repl) return repl as ReplSession;
  throw new MpyError('this command needs a raw-REPL session');
}

/** Hard reset through the context when it can reconnect, else through the session. */
export async function hardResetBoard(context: CommandContext): Promise<void> {
  if (context instanceof SessionContext) return context.hardReset();
  const session = await sessionOf(context);
  await session.hardReset();
}

/** A UsageError for a missing or bad argument of `command`. */
export function usage(command: string, message: string): UsageError {
  return new UsageError(`${command}: ${message}`);
}

const reported = new WeakSet<object>();

/** Note that a command already showed this error to the user (a traceback), so the CLI does
 * not print it again; its exit code still counts. */
export function markReported(error: unknown): void {
  if (typeof error === 'object' && error !== null) reported.add(error);
}

/** See `markReported`. */
export function isReported(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

/**
 * Finish or roll back what an earlier process left under way on this device (./pending.ts), as
 * the first thing on the link, whatever the command: the board's folders named in the note are
 * swept by py/once/cm.py `_s`. A board that cannot run it (the micro:bit v1 has no `os.stat`)
 * keeps the old way: the next write into the folder sweeps it.
 */
async function sweepLeft(
  repl: RawRepl,
  journal: PendingWrites,
  debug: ((line: string) => void) | undefined,
): Promise<void> {
  const folders = journal.left();
  if (folders.length === 0) return;
  const { sweepCode } = await import('../board/once.js');
  try {
    await repl.exec(sweepCode(folders));
  } catch (error) {
    if (!(error instanceof BoardError)) throw error;
    debug?.(`the sweep of ${folders.join(', ')} failed (${error.message})`);
  }
  journal.clear();
}

/**
 * Let the board pack downloads (py/once/gz.py) where its CPU outruns the link: a UART bridge
 * (`/dev/ttyUSB0`, `COM3`, a socket to ser2net), not native USB (`/dev/ttyACM0`, macOS
 * `usbmodem`), which carries a small file in a few ms, nor a network link (WebREPL).
 * `MPY_PACK_DOWNLOADS=0|1` overrides.
 */
export function packDownloads(description: string | undefined, linkBuffer?: number): boolean {
  const forced = process.env.MPY_PACK_DOWNLOADS;
  if (forced === '0' || forced === '1') return forced === '1';
  if (linkBuffer || description === undefined) return false;
  return !/ttyACM|usbmodem/i.test(description);
}

/** Upload over WebREPL by the board's own PUT (the default: faster than the raw REPL, see
 * README "WebREPL") or, with `MPY_WEBREPL_FILES=0`, by the raw REPL. */
function waUploads(): boolean {
  return process.env.MPY_WEBREPL_FILES !== '0';
}
