// bench/mpy.ts: the `--mpy` rows: import time on the board of a 27 KB module as .py and as .mpy
// (timed by the board itself), `cp --mpy` of it, and a one-line edit under `watch --mpy`.
// `MPY_BENCH_ONLY=mpy` runs these rows alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Board } from '../src/board/board.js';
import { RawRepl } from '../src/repl/raw-repl.js';
import type { BoardSession } from '../src/sync/session.js';
import { watchFolder } from '../src/sync/watch-folder.js';
import { openTransport } from '../src/transport/open.js';
import type { Row } from './bench.js';
import { pythonSource } from './data.js';
import type { BenchTarget, Sample } from './harness.js';
import { type Base, failed } from './rows.js';

const RUNS = Number(process.env.MPY_BENCH_RUNS ?? 3);
const SIZE = 27 * 1024;

/** About 27 KB of module that compiles and imports anywhere, from bench/data.ts's text: that is
 * cut at exactly 27 KB (mid-function), may name both arguments alike (`def f(pin, pin=3)`) and
 * imports `machine.Pin`, which only a text transfer can take. For other --mpy rows too. */
export function moduleSource(): string {
  const text = pythonSource(SIZE + 512, 2)
    .replace('from machine import Pin\n', '')
    .replace(/\((\w+), \1=/g, '($1, $1_2=');
  return `${text.slice(0, text.lastIndexOf('\ndef ', SIZE))}\n`;
}

/** Import `bm27` fresh, RUNS times; the board's own ticks_us around the import, as ms. */
const IMPORT_TIMING = [
  'import gc, sys, time',
  `for _ in range(${RUNS}):`,
  "    sys.modules.pop('bm27', None)",
  '    gc.collect()',
  '    t = time.ticks_us()',
  '    import bm27',
  '    print(time.ticks_diff(time.ticks_us(), t))',
  "sys.modules.pop('bm27', None)",
].join('\n');

function medianOf(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function importRow(bench: BenchTarget, base: Base, form: '.py' | '.mpy'): Promise<Row> {
  let times: number[] = [];
  const sample = await bench.measure(async () => {
    times = (await bench.cli('exec', IMPORT_TIMING))
      .trim()
      .split(/\r?\n/)
      .map((line) => Number(line) / 1000);
  });
  return {
    ...base,
    name: `import 27 KB module as ${form} (on the board)`,
    payload: 0,
    direction: 'none',
    sample: { ...sample, ms: medianOf(times) },
    note: `board's ticks_us, median of ${RUNS}; the whole exec took ${sample.ms.toFixed(0)} ms`,
  };
}

/** Save -> `synced` under `watch --mpy`: one-line edits of the 27 KB module, the median. */
async function watchEditRow(bench: BenchTarget, base: Base, source: string): Promise<Row> {
  const folder = mkdtempSync(join(tmpdir(), 'mpy-bench-mpy-'));
  const file = join(folder, 'bm27.py');
  writeFileSync(file, source);
  const synced: (() => void)[] = [];
  const connect = async (): Promise<BoardSession> => {
    const repl = await RawRepl.connect(await openTransport(bench.device), {
      baud: bench.baud || 115200,
    });
    return { board: new Board(repl), repl, close: () => repl.close() };
  };
  const watch = await watchFolder({
    folder,
    target: '/wm',
    delete: true,
    mpy: true,
    connect,
    log: (line) => {
      if (line.startsWith('synced')) synced.shift()?.();
    },
  });
  try {
    const lines = source.split('\n');
    const at = lines.findIndex((line, i) => i > lines.length / 2 && line.includes('total = 0'));
    const edits: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      lines[at] = `    total = ${i + 1}`;
      const done = new Promise<void>((resolve) => synced.push(resolve));
      edits.push(
        await bench.measure(async () => {
          writeFileSync(file, lines.join('\n'));
          await done;
        }),
      );
    }
    edits.sort((a, b) => a.ms - b.ms);
    return {
      ...base,
      name: 'watch --mpy one-line edit, 27 KB module',
      payload: 0,
      direction: 'none',
      sample: edits[Math.floor(edits.length / 2)]!,
      note: 'ms from save to synced, incl. ~75 ms debounce and the compile',
    };
  } finally {
    await watch.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The --mpy rows on one board (one with folders that loads .mpy version 6). */
export async function mpyRows(bench: BenchTarget, base: Base): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-bench-mpy-'));
  const source = moduleSource();
  const file = join(dir, 'bm27.py');
  writeFileSync(file, source);
  const rows: Row[] = [];
  try {
    await bench.cli('rm', ':bm27.mpy').catch(() => undefined);
    await bench.cli('cp', '-f', file, ':bm27.py');
    rows.push(await importRow(bench, base, '.py'));
    // compiled in this process once before, so the row shows the send, not the first compile
    await bench.cli('cp', '--mpy', '-f', file, ':bm27.py');
    await bench.cli('rm', ':bm27.mpy');
    await bench.cli('cp', '-f', file, ':bm27.py');
    let mpySize = 0;
    const sample = await bench.measure(() => bench.cli('cp', '--mpy', file, ':bm27.py'));
    const listing = await bench.cli('ls', ':');
    mpySize = Number(/(\d+) bm27\.mpy/.exec(listing)?.[1] ?? 0);
    rows.push({
      ...base,
      name: `cp --mpy 27 KB module (.py ${source.length} B -> .mpy ${mpySize} B)`,
      payload: mpySize,
      direction: 'up',
      sample,
      note: /bm27\.py/.test(listing) ? 'stale bm27.py left!' : 'stale bm27.py removed',
    });
    rows.push(await importRow(bench, base, '.mpy'));
    await bench.cli('rm', ':bm27.mpy');
    rows.push(await watchEditRow(bench, base, source).catch((e) => failed(base, 'watch --mpy', e)));
  } catch (error) {
    rows.push(failed(base, 'mpy rows', error));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
