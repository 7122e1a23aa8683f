// bench/microbit.ts: the rows of micro:bit v1 boards (the real firmware in qemu, and the sim's
// legacy profile that copies it: 15 KB of flat flash, 9 KB of heap): a 3,000-byte .py copied
// from process start, read back, listed, and a one-line edit of a 2 KB file under watch.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Fixtures, Row } from './bench.js';
import { type BenchTarget, median, type Sample } from './harness.js';
import { type Base, failed, watchEditRows } from './rows.js';

const run = promisify(execFile);
const MPY = new URL('../../bin/mpy.js', import.meta.url).pathname;
const RUNS = Number(process.env.MPY_BENCH_RUNS ?? 3);

/** `mpy ARGS` as a user runs it: a new process, so node's start-up counts. */
function mpy(board: BenchTarget, ...args: string[]) {
  return run(process.execPath, [MPY, '-d', board.device, ...args], { encoding: 'buffer' });
}

export async function microbitRows(
  board: BenchTarget,
  files: Fixtures,
  base: Base,
): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (name: string, payload: number, direction: Row['direction'], samples: Sample[]) =>
    rows.push({ ...base, name, payload, direction, sample: median(samples) });
  const times = async (step: () => Promise<unknown>) => {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await board.measure(step));
    return samples;
  };
  try {
    add('connect + exec pass', 0, 'none', await times(() => board.cli('exec', 'pass')));
    const source = readFileSync(files.source3000);
    add(
      'cp 3,000 B .py, from process start',
      source.length,
      'up',
      await times(() => mpy(board, 'cp', '-f', files.source3000, ':m.py')),
    );
    let back = Buffer.alloc(0);
    add(
      'cat 3,000 B .py, from process start',
      source.length,
      'down',
      await times(async () => {
        back = (await mpy(board, 'cat', ':m.py')).stdout;
      }),
    );
    if (!back.equals(source)) throw new Error('the 3,000-byte file did not read back identical');
    add('ls -l', 0, 'none', await times(() => board.cli('ls', '-l')));
    await board.cli('rm', ':m.py');
  } catch (error) {
    rows.push(failed(base, 'micro:bit files', error));
  }
  rows.push(
    ...(await watchEditRows(board, base, 2048, '/').catch((e) => [failed(base, 'watch', e)])),
  );
  return rows;
}
