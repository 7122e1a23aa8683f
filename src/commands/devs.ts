// src/commands/devs.ts: `mpy devs`: list serial ports with USB ids, marking likely boards; with
// --probe, ask each board over its REPL which MicroPython it runs and on what machine.
import { Writable } from 'node:stream';
import { parsePythonLiteral } from '../repl/literal.js';
import {
  boardCandidates,
  describePort,
  expandShortName,
  listPorts,
  type PortInfo,
  sysfsInfo,
} from '../transport/devices.js';
import { type ConnectOptions, SessionContext } from './context.js';
import { commandPython } from './py-code.js';
import type { CommandRun } from './types.js';

/** How long a probed port may take to answer the question (after connecting), ms. */
const PROBE_ANSWER_MS = 5000;

/** `mpy devs [--probe] [PORT...]`; its arguments and options are in src/commands/index.ts. */
export const runDevs: CommandRun = async (named, options, context) => {
  const listed = await listPorts();
  const boards = new Set(boardCandidates(listed).map((port) => port.path));
  // Ports named on the command line are the ones shown (and probed), listed or not (a pty).
  const rows: Array<{ port: PortInfo; board: boolean }> =
    named.length > 0
      ? named.map((name) => {
          const path = expandShortName(name);
          const port = listed.find((p) => p.path === path) ?? sysfsInfo(path);
          return { port, board: true };
        })
      : listed.map((port) => ({ port, board: boards.has(port.path) }));
  const answers =
    options.probe === true
      ? await Promise.all(
          rows.map((row) =>
            row.board ? probeBoard(row.port.path, options, context.signal) : undefined,
          ),
        )
      : [];
  for (const [index, row] of rows.entries()) {
    const answer = answers[index];
    const mark = boards.has(row.port.path) ? '*' : ' ';
    context.out(`${mark} ${describePort(row.port)}${answer ? `  ${answer}` : ''}\n`);
  }
  if (rows.length === 0) context.err('no serial ports found (try `-d sim` for a virtual board)\n');
};

/** `MicroPython 1.24.1 on Raspberry Pi Pico with RP2040`, or why the port did not say. Entering
 * the raw REPL interrupts what the board runs (Ctrl-C), as every command does. */
async function probeBoard(
  path: string,
  options: Record<string, unknown>,
  signal: AbortSignal,
): Promise<string> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const connection: ConnectOptions = {
    device: path,
    baud: Number(options.baud ?? 115200),
    ...(typeof options.dtr === 'boolean' ? { dtr: options.dtr } : {}),
    ...(typeof options.rts === 'boolean' ? { rts: options.rts } : {}),
  };
  const board = new SessionContext(connection, { stdout: discard, stderr: discard }, signal);
  try {
    const repl = await board.repl();
    const code = `${commandPython('board-id.py')}print(repr(_mpy_id()))\n`;
    const out = await repl.exec(code, { timeoutMs: PROBE_ANSWER_MS });
    const answer = parsePythonLiteral(new TextDecoder().decode(out).trim());
    const [version, machine] = Array.isArray(answer) ? answer : [];
    return `MicroPython ${String(version)} on ${String(machine)}`;
  } catch (error) {
    return `(no answer: ${(error as Error).message})`;
  } finally {
    await board.close().catch(() => undefined);
  }
}
