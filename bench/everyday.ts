// bench/everyday.ts: the "everyday" table (issue 17): short commands on small files as a user
// types them, each a new mpy process timed from spawn to exit, on a board just started and as
// the second command on it, beside mpremote's figures and the limit that node and the wire set.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CommandPtyServer } from '../src/sim/index.js';
import { realBoardSkip } from '../test/helpers/real-boards.js';
import {
  type EverydayBoard,
  freshBoard,
  type Measured,
  measureTool,
  type Tool,
  timeProcess,
} from './everyday-board.js';
import {
  bytesThatMustCross,
  COMMANDS,
  type EverydayCommand,
  type Files,
  makeFiles,
} from './everyday-rows.js';

const RUNS = Number(process.env.MPY_BENCH_RUNS ?? 3);
/** 115200 baud, 10 bits a byte. */
const LINK_BYTES_PER_S = 11_520;
const EVERYDAY_BOARDS: EverydayBoard[] = ['unix', 'qemu', 'microbit'];

/** A tool's medians over the runs, fresh board and second command, or why each failed. */
interface Figures {
  fresh: Measured | Error;
  second: Measured | Error;
}

interface EverydayRow {
  board: EverydayBoard;
  command: EverydayCommand;
  limitMs: number;
  mpy: Figures;
  mpremote?: Figures;
}

function medianRun(runs: Measured[]): Measured {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
}

/** RUNS times: a fresh board, the command (fresh), its undo, the command again (second). A
 * failure ends that column's runs; the other column goes on (mpremote's undo may fail alone). */
async function measureCommand(
  board: EverydayBoard,
  command: EverydayCommand,
  tool: Tool,
  files: Files,
): Promise<Figures> {
  const fresh: Measured[] = [];
  const second: Measured[] = [];
  let freshError: Error | undefined;
  let secondError: Error | undefined;
  const run = async (pty: CommandPtyServer) => {
    const local = mkdtempSync(join(files.dir, 'local-'));
    const measured = await measureTool(pty, tool, command.args(files, local));
    command.check?.(files, measured.stdout.toString(), local);
    return measured;
  };
  for (let i = 0; i < RUNS && !(freshError && secondError); i++) {
    let pty: CommandPtyServer;
    try {
      pty = await freshBoard(board, files.flashes[command.flash], files.flashDirs[command.flash]);
    } catch (error) {
      freshError = secondError = error as Error;
      break;
    }
    try {
      // The second command needs a first one before it, failed or not.
      const first = await run(pty).catch((error: Error) => error);
      if (first instanceof Error) freshError ??= first;
      else if (!freshError) fresh.push(first);
      if (!secondError) {
        try {
          const undo = command.undo?.(files);
          if (undo) {
            await measureTool(pty, tool, undo).catch((error: Error) => {
              const typed = undo.map((arg) => (arg.startsWith('/') ? basename(arg) : arg));
              throw new Error(`undo \`${typed.join(' ')}\` ${error.message}`);
            });
          }
          second.push(await run(pty));
        } catch (error) {
          secondError = error as Error;
        }
      }
    } finally {
      await pty.close();
    }
  }
  return {
    fresh: freshError ?? medianRun(fresh),
    second: secondError ?? medianRun(second),
  };
}

/** Why mpremote cannot run here, or undefined when it can. */
function mpremoteSkip(): string | undefined {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import serial, platformdirs']);
  if (probe.status === 0) return undefined;
  return (
    'mpremote columns skipped: /usr/bin/python3 cannot import serial or platformdirs ' +
    '(scripts/setup-system.sh installs python3-serial and python3-platformdirs)'
  );
}

/** `node -e 0` from spawn to exit, median of RUNS: node's own start, which every row pays. */
async function nodeStartMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await timeProcess(process.execPath, ['-e', '0'])).ms);
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** The boards to run: MPY_BENCH_PROFILES's real ones where it is set, else all three. */
function boardsToRun(): EverydayBoard[] {
  const asked = process.env.MPY_BENCH_PROFILES?.split(',');
  return EVERYDAY_BOARDS.filter((board) => !asked || asked.includes(board));
}

/** Measure every row and print the everyday table. */
export async function everydayBench(): Promise<void> {
  const files = makeFiles(mkdtempSync(join(tmpdir(), 'mpy-everyday-')));
  const noMpremote = mpremoteSkip();
  const notes: string[] = noMpremote ? [noMpremote] : [];
  const rows: EverydayRow[] = [];
  try {
    const nodeMs = await nodeStartMs();
    for (const board of boardsToRun()) {
      const skip = realBoardSkip(board);
      if (skip) {
        notes.push(`${board} skipped: ${skip}`);
        continue;
      }
      for (const command of COMMANDS) {
        if (command.folders && board === 'microbit') continue;
        const limitMs = nodeMs + (bytesThatMustCross(command.id, files) / LINK_BYTES_PER_S) * 1000;
        const mpy = await measureCommand(board, command, 'mpy', files);
        const row: EverydayRow = { board, command, limitMs, mpy };
        if (!noMpremote) row.mpremote = await measureCommand(board, command, 'mpremote', files);
        rows.push(row);
        process.stderr.write(`bench: everyday ${board} ${command.label} done\n`);
      }
    }
    printEveryday(rows, nodeMs, notes);
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
}

const ms = (value: number) => value.toFixed(0);

/** A failure in one line: a traceback's first and last lines say what and where. */
function oneLine(error: Error): string {
  const lines = error.message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length > 2 ? `${lines[0]} ... ${lines[lines.length - 1]}` : lines.join(' ');
}

/** One column set (fresh or second): mpy's ms and bytes, mpremote's, the speed-up, mpy − limit;
 * a failed cell says `failed [n]`, n the number of its note under the table. */
function columnSet(
  row: EverydayRow,
  which: 'fresh' | 'second',
  footnote: (what: string) => string,
): string[] {
  const cell = (tool: Tool, figures: Figures | undefined): string[] => {
    const got = figures?.[which];
    if (!got) return ['-', '-'];
    if (got instanceof Error) {
      return [
        `failed ${footnote(`${row.board} ${row.command.label}, ${tool}: ${oneLine(got)}`)}`,
        '-',
      ];
    }
    return [ms(got.ms), `${got.toBoard}/${got.toHost}`];
  };
  const mine = row.mpy[which];
  const theirs = row.mpremote?.[which];
  const mpyOk = !(mine instanceof Error);
  return [
    ...cell('mpy', row.mpy),
    ...cell('mpremote', row.mpremote),
    mpyOk && theirs && !(theirs instanceof Error) ? `${(theirs.ms / mine.ms).toFixed(2)}x` : '-',
    mpyOk ? `${mine.ms >= row.limitMs ? '+' : ''}${ms(mine.ms - row.limitMs)}` : '-',
  ];
}

function printEveryday(rows: EverydayRow[], nodeMs: number, notes: string[]): void {
  const set = (when: string) => [
    `${when} mpy ms`,
    'mpy B',
    'mpremote ms',
    'mpremote B',
    'speed-up',
    'mpy-limit ms',
  ];
  const head = ['board', 'command', 'limit ms', ...set('fresh'), ...set('2nd')];
  const failures = new Map<string, number>();
  const footnote = (what: string) => {
    if (!failures.has(what)) failures.set(what, failures.size + 1);
    return `[${failures.get(what)}]`;
  };
  const cells = rows.map((row) => [
    row.board,
    row.command.label,
    ms(row.limitMs),
    ...columnSet(row, 'fresh', footnote),
    ...columnSet(row, 'second', footnote),
  ]);
  console.log(
    `mpy everyday commands, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
      `${process.platform}/${process.arch}, 115200 baud, median of ${RUNS} runs. Each cell is a ` +
      'new process (node bin/mpy.js -d PTY ..., or mpremote.sh connect PTY resume ...) from spawn ' +
      'to exit; node runs without NODE_EXTRA_CA_CERTS. fresh: the board just started, nothing of ' +
      'mpy in its RAM; 2nd: the same command right after a first one on that board. ' +
      `limit = node -e 0 (${ms(nodeMs)} ms here) + bytes that must cross / 11,520 B/s; ` +
      'B = wire bytes ->board/->host; speed-up = mpremote ms / mpy ms.',
  );
  for (const note of notes) console.log(note);
  const widths = head.map((_, i) => Math.max(...[head, ...cells].map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of cells) console.log(line(r));
  for (const [what, n] of failures) console.log(`[${n}] ${what.slice(0, 400)}`);
}
