// test/helpers/boards.ts: open any board of board-kinds.ts the way a user reaches it (the virtual
// board in process or over a pty, a real firmware behind a pty), as one board-agnostic TestBoard,
// so the end-to-end suites run the same cases on each.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pyBytes, pyStr } from '../../src/board/py-literal.js';
import { RawRepl, type RawReplOptions } from '../../src/repl/raw-repl.js';
import {
  type CommandPtyServer,
  type PtyServer,
  type SimOptions,
  servePty,
  VirtualBoard,
} from '../../src/sim/index.js';
import { openSerial } from '../../src/transport/serial.js';
import type { Transport } from '../../src/transport/transport.js';
import { type BoardFacts, type BoardKind, boardFacts } from './board-kinds.js';
import { startRealBoard } from './real-boards.js';

export {
  BOARD_KINDS,
  type BoardFacts,
  type BoardKind,
  boardFacts,
  isSimKind,
  kindSkip,
  kindsWhere,
  REAL_KINDS,
  SIM_KINDS,
} from './board-kinds.js';

/**
 * The speed the host opens every port at and paces plain raw mode for: 115200, as a user
 * would. A pty cannot tell mpy that the board behind it is unthrottled.
 */
export const PTY_BAUD = 115200;

/** Wire bytes since the link was (re)made; `dropped` only where the board counts it (sim). */
export interface WireCounters {
  hostToBoard: number;
  boardToHost: number;
  dropped?: number;
}

export interface TestBoardOptions {
  repl?: RawReplOptions;
  /** Files (board name -> content) on the flash before the host connects; main.py runs. */
  preload?: Record<string, string | Uint8Array>;
  /** The virtual board's own knobs (flash folder, link, profile); refused for real kinds. */
  sim?: SimOptions;
}

/** An open board and everything needed to poke at it, whatever it is. */
export interface TestBoard {
  kind: BoardKind;
  facts: BoardFacts;
  /** The first session, opened by openTestBoard. */
  repl: RawRepl;
  transport: Transport;
  /** The virtual board itself, for the sim kinds only. */
  sim?: VirtualBoard;
  /** The pty the board is on now (a cut and a reconnect give a new one); not for inproc. */
  readonly ptyPath: string | undefined;
  counters(): Promise<WireCounters>;
  /**
   * Cut the link as a user can: the sim's cable is pulled (the pty goes with it); a real board
   * loses power with its relay (its files stay only where facts.keepsFlashOffline).
   */
  cut(): Promise<void>;
  /** A new session on the same board (plugged back in, powered on again after a cut). */
  connect(options?: RawReplOptions): Promise<RawRepl>;
  /** Close every session, the pty and the board. Idempotent. */
  close(): Promise<void>;
}

/** How a kind's board is reached: a new transport each time, a cut, counters, an end. */
interface Link {
  sim?: VirtualBoard;
  ptyPath(): string | undefined;
  open(): Promise<Transport>;
  cut(): Promise<void>;
  counters(): Promise<WireCounters>;
  stop(): Promise<void>;
}

function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, data] of Object.entries(files)) {
    writeFileSync(join(dir, name.replace(/^\/+/, '')), data);
  }
}

async function simLink(kind: BoardKind, options: TestBoardOptions): Promise<Link> {
  const overPty = kind !== 'inproc';
  let ownDir: string | undefined;
  let flashDir = options.sim?.flashDir;
  if (options.preload) {
    flashDir ??= ownDir = mkdtempSync(join(tmpdir(), 'mpy-test-flash-'));
    writeFiles(flashDir, options.preload);
  }
  const board = await VirtualBoard.start({
    ...(overPty ? { baud: PTY_BAUD } : {}),
    ...(kind === 'pty-legacy' ? { profile: 'legacy' as const } : {}),
    ...options.sim,
    ...(flashDir ? { flashDir } : {}),
  });
  // A cut link removes the pty like an unplugged adapter; plugging it back in is a new pty.
  let pty: PtyServer | undefined;
  let ptyGone = true;
  const plugIn = async () => {
    const server = await servePty(board);
    pty = server;
    ptyGone = false;
    void server.closed.then(() => {
      if (pty === server) ptyGone = true;
    });
  };
  if (overPty) await plugIn();
  return {
    sim: board,
    ptyPath: () => pty?.path,
    open: async () => {
      if (!overPty) return board.connect();
      return openFresh(
        async () => {
          if (ptyGone) await plugIn();
          return pty!.path;
        },
        async () => {
          await pty?.close().catch(() => {});
          ptyGone = true;
        },
      );
    },
    cut: async () => {
      board.cutLink();
      await pty?.closed; // the pty goes with the cable
    },
    counters: async () => ({ ...board.counters }),
    stop: async () => {
      await pty?.close().catch(() => {});
      await board.stop();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

async function realLink(
  kind: BoardKind,
  facts: BoardFacts,
  options: TestBoardOptions,
): Promise<Link> {
  if (options.sim) throw new Error(`${kind} is a real board: sim options do not apply`);
  const temp = mkdtempSync(join(tmpdir(), `mpy-test-${kind}-`));
  const image: string[] = [];
  const preload: string[] = [];
  if (facts.real === 'unix' || facts.real === 'unix-fat') {
    // The flash in a file of ours: a fresh one is empty, and it outlives a power cut.
    image.push('--image', join(temp, 'flash.img'));
    if (options.preload) {
      const dir = join(temp, 'preload');
      mkdirSync(dir);
      writeFiles(dir, options.preload);
      preload.push('--preload', dir);
    }
  }
  let server: CommandPtyServer | undefined;
  try {
    server = await startRealBoard(facts.real!, facts.baud, [...image, ...preload]);
    if (options.preload && preload.length === 0) await writeAndReboot(server.path, options.preload);
  } catch (error) {
    await server?.close().catch(() => {});
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  let current: CommandPtyServer = server;
  let wasCut = false;
  return {
    ptyPath: () => current.path,
    open: async () =>
      openFresh(
        async () => {
          if (wasCut) {
            // Power on again, on the same flash image (the preload is on it already).
            current = await startRealBoard(facts.real!, facts.baud, image);
            wasCut = false;
          }
          return current.path;
        },
        async () => {
          wasCut = true;
          await current.close().catch(() => {});
        },
      ),
    cut: async () => {
      wasCut = true;
      await current.close();
    },
    counters: () => current.counters(),
    stop: async () => {
      await current.close().catch(() => {});
      rmSync(temp, { recursive: true, force: true });
    },
  };
}

/**
 * Open the board's pty (`plug` gives its path, plugging it in as needed); when another process
 * holds it for longer than `openPort` waits, unplug it (`unplug`) and take a new one. pty numbers
 * are reused: a process of another test that still reopens its own gone board by path (a watch
 * or a mount reconnecting) can take the new pty of that number as soon as it appears, as it
 * would take a new board at that device name.
 */
async function openFresh(
  plug: () => Promise<string>,
  unplug: () => Promise<void>,
): Promise<Transport> {
  for (let attempt = 0; ; attempt++) {
    const path = await plug();
    try {
      return await openPort(path);
    } catch (error) {
      if (attempt >= 2 || !/is busy/.test(String(error))) throw error;
      await unplug();
    }
  }
}

/**
 * Open the pty, waiting out a lock that outlives the close of the port's last user: serialport's
 * close() resolves a moment (1-2 ms, measured) before the kernel drops the flock, so a session
 * opened right after another is closed can see "busy". A transport matter, not the board's.
 */
async function openPort(path: string): Promise<Transport> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await openSerial(path, { baud: PTY_BAUD });
    } catch (error) {
      if (attempt >= 20 || !/is busy/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/**
 * Put `files` on a board that cannot start with them (its flash lives in qemu's RAM) through
 * plain exec, then soft-reset it from the friendly REPL so that boot.py and main.py run, as on a
 * board plugged in with a program on it.
 */
async function writeAndReboot(path: string, files: Record<string, string | Uint8Array>) {
  const repl = await RawRepl.connect(await openPort(path));
  try {
    for (const [name, data] of Object.entries(files)) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      await repl.exec(
        `f = open(${pyStr(name.replace(/^\/+/, ''))}, 'wb')\nf.write(${pyBytes(bytes)})\nf.close()`,
      );
    }
  } finally {
    await repl.close(); // leaves the friendly REPL
  }
  const transport = await openPort(path);
  await transport.write(Uint8Array.of(0x04));
  await transport.close();
}

/** Start a board of `kind` and open a first RawRepl session on it. */
export async function openTestBoard(
  kind: BoardKind,
  options: TestBoardOptions = {},
): Promise<TestBoard> {
  const facts = boardFacts(kind);
  const link = facts.sim ? await simLink(kind, options) : await realLink(kind, facts, options);
  const sessions: RawRepl[] = [];
  let closed = false;
  const connect = async (replOptions: RawReplOptions = {}): Promise<RawRepl> => {
    const transport = await link.open();
    try {
      const repl = await RawRepl.connect(transport, {
        baud: PTY_BAUD,
        ...options.repl,
        ...replOptions,
      });
      sessions.push(repl);
      return repl;
    } catch (error) {
      await transport.close().catch(() => {});
      throw error;
    }
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const repl of sessions) await repl.close().catch(() => {});
    await link.stop();
  };
  let repl: RawRepl;
  try {
    repl = await connect();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    kind,
    facts,
    repl,
    transport: repl.transport,
    ...(link.sim ? { sim: link.sim } : {}),
    get ptyPath() {
      return link.ptyPath();
    },
    counters: () => link.counters(),
    cut: () => link.cut(),
    connect,
    close,
  };
}

/** Wire bytes from `before` to `after` of one link. */
export function wireDelta(before: WireCounters, after: WireCounters): Required<WireCounters> {
  return {
    hostToBoard: after.hostToBoard - before.hostToBoard,
    boardToHost: after.boardToHost - before.boardToHost,
    dropped: (after.dropped ?? 0) - (before.dropped ?? 0),
  };
}
