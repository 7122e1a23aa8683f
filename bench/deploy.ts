// bench/deploy.ts: the deploy rows (`MPY_BENCH_ROWS=deploy`): `mpy sync` of the 50-file tree to
// one unixboard and to 8 at once at 115200, cold and unchanged, with mpy's own host CPU; and a
// one-line edit under `mpy watch` on 8 boards, from the save to the last board's `synced` line.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandPtyServer } from '../src/sim/index.js';
import { startRealBoard } from '../test/helpers/real-boards.js';
import type { Fixtures, Row } from './bench.js';
import { runCli } from './harness.js';
import type { Base } from './rows.js';

const RUNS = Number(process.env.MPY_BENCH_RUNS ?? 3);
const BIN = fileURLToPath(new URL('../../bin/mpy.js', import.meta.url));

/** `count` unixboards at `baud`, each linked as `<dir>/bN`, so `<dir>/*` names them all. */
async function rack(count: number, baud: number) {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-bench-rack-'));
  const boards: CommandPtyServer[] = await Promise.all(
    Array.from({ length: count }, () => startRealBoard('unix', baud)),
  );
  for (const [i, board] of boards.entries()) symlinkSync(board.path, join(dir, `b${i}`));
  const counters = async () => {
    const all = await Promise.all(boards.map((board) => board.counters()));
    return all.reduce(
      (sum, c) => ({ toBoard: sum.toBoard + c.hostToBoard, toHost: sum.toHost + c.boardToHost }),
      { toBoard: 0, toHost: 0 },
    );
  };
  return {
    glob: join(dir, '*'),
    counters,
    stop: async () => {
      await Promise.all(boards.map((board) => board.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Time `step` (median of RUNS, `before` unmeasured) with the wire bytes of all boards and
 * this process's CPU time (mpy runs in it; the boards and relays are other processes). */
async function measure(
  counters: () => Promise<{ toBoard: number; toHost: number }>,
  step: () => Promise<unknown>,
  before?: () => Promise<unknown>,
) {
  const samples: Array<{ ms: number; toBoard: number; toHost: number; cpu: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    if (before) await before();
    const wire = await counters();
    const cpu = process.cpuUsage();
    const start = performance.now();
    await step();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const after = await counters();
    samples.push({
      ms,
      toBoard: after.toBoard - wire.toBoard,
      toHost: after.toHost - wire.toHost,
      cpu: (used.user + used.system) / 1000 / ms,
    });
  }
  samples.sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(samples.length / 2)]!;
}

function row(
  base: Base,
  name: string,
  payload: number,
  sample: { ms: number; toBoard: number; toHost: number; cpu?: number },
  note = '',
): Row {
  const cpu =
    sample.cpu === undefined ? '' : `mpy CPU ${(sample.cpu * 100).toFixed(0)} % of a core`;
  return {
    ...base,
    name,
    payload,
    direction: payload > 0 ? 'up' : 'none',
    sample: { ms: sample.ms, toBoard: sample.toBoard, toHost: sample.toHost, dropped: 0 },
    note: [cpu, note].filter(Boolean).join('; '),
  };
}

/** The sync rows for 1 and 8 boards, then watch on 8. */
export async function deployRows(files: Fixtures, baud: number): Promise<Row[]> {
  const base: Base = { profile: 'unix', link: baud ? String(baud) : 'USB', baud };
  const rows: Row[] = [];
  const coldMs = new Map<number, number>();
  for (const count of [1, 8]) {
    const boards = await rack(count, baud);
    try {
      const sync = () => runCli(boards.glob, ['sync', '--no-verbose', files.tree, ':/app']);
      const clear = () => runCli(boards.glob, ['rm', '-r', ':/app']).catch(() => undefined);
      const cold = await measure(boards.counters, sync, clear);
      coldMs.set(count, cold.ms);
      const ratio =
        count > 1 ? `${(cold.ms / coldMs.get(1)!).toFixed(2)}x the time to 1 board` : '';
      rows.push(
        row(base, `sync 50 files to ${count} board(s), cold`, files.treeBytes * count, cold, ratio),
      );
      rows.push(
        row(
          base,
          `sync 50 files to ${count} board(s), unchanged`,
          0,
          await measure(boards.counters, sync),
        ),
      );
      if (count === 8) rows.push(await watchEditRow(base, boards.glob, files, boards.counters));
    } finally {
      await boards.stop();
    }
  }
  return rows;
}

/** `mpy watch` (its own process, as typed) on every board; one-line edits of a 27 KB module,
 * each timed from the save to the last board's `synced` line; the median of RUNS edits. */
async function watchEditRow(
  base: Base,
  glob: string,
  files: Fixtures,
  counters: () => Promise<{ toBoard: number; toHost: number }>,
): Promise<Row> {
  const folder = mkdtempSync(join(tmpdir(), 'mpy-bench-watch8-'));
  cpSync(files.tree, folder, { recursive: true });
  const module = join(folder, 'big.py');
  writeFileSync(module, readFileSync(files.source27));
  const child = spawn(process.execPath, [BIN, '-d', glob, 'watch', folder, '--to', ':/w'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  child.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiters) check();
  });
  const until = (done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch: no progress:\n${text}`)), 60_000);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const synced = () => (text.match(/\twatch: synced 1 file/g) ?? []).length;
  try {
    await until(() => text.includes('watching '));
    let edits = 0;
    const sample = await measure(counters, async () => {
      edits++;
      const source = readFileSync(module, 'utf8').replace(/^v = \d+$/m, `v = ${edits}`);
      writeFileSync(module, source.includes(`v = ${edits}`) ? source : `v = ${edits}\n${source}`);
      await until(() => synced() >= edits * 8);
    });
    return row(
      base,
      'watch on 8 boards, one-line edit, 27 KB file',
      0,
      { ...sample, cpu: undefined },
      'ms from save to the 8th board synced, incl. ~75 ms debounce',
    );
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.on('close', resolve));
    rmSync(folder, { recursive: true, force: true });
  }
}
