// test/dev/dev.e2e.test.ts: `mpy dev` in a real terminal, typed at as a person would: the built
// bin/mpy.js runs on a pty (python3's pty module) that this test reads and types into. The
// issue's acceptance: main.py prints v1; it is edited to print v2, which appears without a key;
// `print(6*7)` at the prompt prints 42; Ctrl-] leaves with exit 0. On the virtual board (in the
// mpy process), on qemuboard and on the micro:bit v1 firmware, each behind a pty at 115200 baud,
// and on the virtual board served as a WebREPL board.
import assert from 'node:assert/strict';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type CommandPtyServer, serveWebrepl, VirtualBoard } from '../../src/sim/index.js';
import { BOARD_KINDS, type BoardKind, kindSkip } from '../helpers/board-kinds.js';
import { type RealBoardName, startRealBoard } from '../helpers/real-boards.js';

const BIN = fileURLToPath(new URL('../../../bin/mpy.js', import.meta.url));
/** Runs argv on a new pty, relaying this process's stdin/stdout to it; exits with its code. */
/** Longest wait for something to show (generous: a loaded 2-core machine), then fail. */
const WAIT_MS = 30_000;
const PTY_SPAWN = 'import os,pty,sys\nsys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))';

/** `mpy ARGS…` on a terminal: what it has shown (line breaks as `\n`), keys, its exit. */
class TerminalSession {
  private raw = '';
  private wake: (() => void)[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;

  constructor(args: string[], cwd: string) {
    this.child = spawn('python3', ['-c', PTY_SPAWN, process.execPath, BIN, ...args], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const take = (chunk: Buffer) => {
      this.raw += chunk.toString('latin1');
      for (const wake of this.wake.splice(0)) wake();
    };
    this.child.stdout.on('data', take);
    this.child.stderr.on('data', take);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const wake of this.wake.splice(0)) wake();
    });
  }

  /** The pty turns each \n into \r\n and the board already sends \r\n: line breaks as `\n`
   * (of the whole text: a \r may end one read and its \n start the next). */
  private get text(): string {
    return this.raw.replace(/\r+\n/g, '\n');
  }

  get screen(): string {
    return this.text;
  }

  /** Resolves with where `wanted` ends, once it shows after `from`; fails if mpy exits first. */
  async shows(wanted: string, from = 0): Promise<number> {
    const deadline = Date.now() + WAIT_MS;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    for (;;) {
      const at = this.text.indexOf(wanted, from);
      if (at >= 0) return at + wanted.length;
      if (exited)
        throw new Error(`mpy exited before showing ${JSON.stringify(wanted)}:\n${this.text}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`${JSON.stringify(wanted)} not shown in ${WAIT_MS} ms:\n${this.text}`);
      }
      await new Promise<void>((resolve) => {
        this.wake.push(resolve);
        setTimeout(resolve, left);
      });
    }
  }

  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

interface Kind {
  kind: BoardKind;
  real?: RealBoardName;
}

const KINDS: Kind[] = [
  { kind: 'inproc' },
  { kind: 'qemu', real: 'qemu' },
  { kind: 'microbit', real: 'microbit' },
];

/** The acceptance scenario in `work` (src/main.py prints v1) on `device` (mpy's -d and what
 * goes with it). */
async function scenario(work: string, device: string[]): Promise<void> {
  const session = new TerminalSession([...device, 'dev', 'src'], work);
  try {
    let at = await session.shows('\nv1\n');
    at = await session.shows('>>> ', at);
    await writeFile(join(work, 'src', 'main.py'), "print('v2')\n");
    at = await session.shows('\nsynced main.py (', at);
    at = await session.shows('\nv2\n', at);
    at = await session.shows('>>> ', at);
    session.type('print(6*7)\r');
    at = await session.shows('\n42\n', at);
    session.type('\x1d');
    assert.equal(await session.exited, 0, session.screen);
    // Every status line is a line of its own.
    assert.match(session.screen, /(^|\n)synced main\.py \([^\n]*ms\)\n/);
    assert.doesNotMatch(session.screen, /[^\n]synced /);
  } finally {
    session.kill();
  }
}

/** A folder with src/main.py printing v1 and an empty flash folder. */
async function workFolder(): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'mpy-dev-e2e-'));
  await mkdir(join(work, 'src'));
  await mkdir(join(work, 'flash'));
  await writeFile(join(work, 'src', 'main.py'), "print('v1')\n");
  return work;
}

for (const { kind, real } of KINDS.filter((k) => BOARD_KINDS.includes(k.kind))) {
  describe(`mpy dev in a terminal on ${kind}`, { skip: kindSkip(kind) }, () => {
    test('v1 runs; a save to v2 runs it; print(6*7) at the prompt; Ctrl-] exits 0', async () => {
      const work = await workFolder();
      let board: CommandPtyServer | undefined;
      try {
        board = real ? await startRealBoard(real, 115200) : undefined;
        const device = board ? board.path : `sim:${join(work, 'flash')}`;
        await scenario(work, ['-d', device]);
      } finally {
        await board?.close();
        await rm(work, { recursive: true, force: true });
      }
    });
  });
}

describe('mpy dev in a terminal over WebREPL (the virtual board served as a WiFi board)', () => {
  // A board closes WebREPL as it soft-reboots and prints main.py's first lines to its UART
  // before mpy is logged in again: the run must still show them.
  test('v1 runs; a save to v2 runs it; print(6*7) at the prompt; Ctrl-] exits 0', async () => {
    const work = await workFolder();
    const board = await VirtualBoard.start({
      flashDir: join(work, 'flash'),
      rxBufferSize: 64 * 1024,
    });
    const server = await serveWebrepl(board, { password: 'pw', latencyMs: 5 });
    try {
      await scenario(work, ['-d', `ws://127.0.0.1:${server.port}`, '--password', 'pw']);
    } finally {
      await server.close();
      await board.stop();
      await rm(work, { recursive: true, force: true });
    }
  });
});
