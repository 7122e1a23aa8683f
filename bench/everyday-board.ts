// bench/everyday-board.ts: for the everyday table, a real firmware started fresh with given files
// on its flash and nothing of mpy in its RAM, and one tool process (mpy or mpremote) timed from
// spawn to exit with the wire bytes the relay counted meanwhile.
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pyBytes, pyStr } from '../src/board/py-literal.js';
import { RawRepl } from '../src/repl/raw-repl.js';
import type { CommandPtyServer } from '../src/sim/index.js';
import { openTransport } from '../src/transport/open.js';
import { startRealBoard } from '../test/helpers/real-boards.js';

/** The boards of the everyday table (../shared/boards and Debian's micro:bit firmware). */
export type EverydayBoard = 'unix' | 'qemu' | 'microbit';
export type Tool = 'mpy' | 'mpremote';

/** The project folder (dist/bench/ -> ../../). */
export const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const MPREMOTE = resolve(PROJECT, '../shared/peers/mpremote.sh');
/** A tool that has not ended by then is stuck (mpremote's 50-file tree takes ~10 s). */
const TOOL_TIMEOUT_MS = 120_000;

/** The environment the tools run in: this machine's NODE_EXTRA_CA_CERTS makes node read a CA
 * file at every start (~35 ms here) before any of mpy runs; the table leaves that out. */
export const TOOL_ENV: NodeJS.ProcessEnv = (() => {
  const { NODE_EXTRA_CA_CERTS: _unset, ...env } = process.env;
  return env;
})();

/** What a finished process printed and how long it took from spawn to exit. */
export interface ProcessRun {
  ms: number;
  stdout: Buffer;
  stderr: string;
}

/** Run `program ARGS` from the project folder and time it; throws with its stderr when it fails. */
export function timeProcess(program: string, args: string[]): Promise<ProcessRun> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(program, args, { cwd: PROJECT, env: TOOL_ENV });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_TIMEOUT_MS);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      if (code === 0) done({ ms, stdout: Buffer.concat(out), stderr: err });
      else {
        const how = signal ? `was killed (${signal})` : `exited ${code}`;
        fail(new Error(`${how}: ${err.trim() || '(no stderr)'}`));
      }
    });
  });
}

/** One tool command on the board at `device`, as a user types it: a new process. */
export function runTool(tool: Tool, device: string, args: string[]): Promise<ProcessRun> {
  if (tool === 'mpy') return timeProcess(process.execPath, ['bin/mpy.js', '-d', device, ...args]);
  // `resume`: no soft reset first, as mpremote behaves from v1.30 on (see mpremote.sh).
  return timeProcess('bash', [MPREMOTE, 'connect', device, 'resume', ...args]);
}

/** One timed command with the wire bytes each way (the relay's counters around it). */
export interface Measured extends ProcessRun {
  toBoard: number;
  toHost: number;
}

export async function measureTool(
  pty: CommandPtyServer,
  tool: Tool,
  args: string[],
): Promise<Measured> {
  const before = await pty.counters();
  const run = await runTool(tool, pty.path, args);
  const after = await pty.counters();
  return {
    ...run,
    toBoard: after.hostToBoard - before.hostToBoard,
    toHost: after.boardToHost - before.boardToHost,
  };
}

/** Wait until the board has said something and then nothing for a while: it has booted. */
async function settle(pty: CommandPtyServer): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = -1;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error('the board did not finish booting in 20 s');
    await new Promise((wake) => setTimeout(wake, 50));
    const { boardToHost } = await pty.counters();
    quiet = boardToHost > 0 && boardToHost === last ? quiet + 1 : 0;
    last = boardToHost;
  }
}

/** Read away what the board printed while nobody listened (its banner): a port opened later
 * would not have it either, as a USB-serial adapter drops what arrives while it is closed. */
function drain(path: string): void {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  const buffer = Buffer.alloc(4096);
  try {
    for (;;) if (readSync(fd, buffer) <= 0) break;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
  } finally {
    closeSync(fd);
  }
}

/** Write `files` (path -> bytes, folders from the paths) with plain raw-REPL execs: no mpy helper
 * is loaded, and the one global used is deleted, so the board's RAM holds nothing of mpy. */
async function writeFlash(device: string, files: Map<string, Uint8Array>): Promise<void> {
  const repl = await RawRepl.connect(await openTransport(device), { baud: 115200 });
  try {
    const folders = new Set<string>();
    for (const path of files.keys()) {
      const parts = path.split('/').slice(0, -1);
      for (let i = 1; i <= parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    }
    for (const folder of [...folders].sort()) {
      await repl.exec(`import os\nos.mkdir(${pyStr(folder)})\ndel os`);
    }
    for (const [path, data] of files) {
      await repl.exec(`_w = open(${pyStr(path)}, 'wb')`);
      // 512 B a step: a micro:bit compiles each exec in a few KB of heap.
      for (let at = 0; at < data.length; at += 512) {
        await repl.exec(`_w.write(${pyBytes(data.subarray(at, at + 512))})`);
      }
      await repl.exec('_w.close()\ndel _w');
    }
  } finally {
    await repl.close();
  }
}

/**
 * Start `board` at 115200 baud with `files` on its flash (unixboard: `--preload` of `folder`,
 * which holds the same files; the others: written by raw-REPL execs after boot), and return it
 * booted, idle at its prompt, with nothing of mpy in its RAM and nothing unread on the port.
 */
export async function freshBoard(
  board: EverydayBoard,
  files: Map<string, Uint8Array>,
  folder: string,
): Promise<CommandPtyServer> {
  const extra = board === 'unix' ? ['--preload', folder] : [];
  const pty = await startRealBoard(board, 115200, extra);
  try {
    await settle(pty);
    if (board !== 'unix') {
      await writeFlash(pty.path, files);
      await settle(pty);
    }
    drain(pty.path);
    return pty;
  } catch (error) {
    await pty.close();
    throw error;
  }
}
