// bench/rows.ts: the watch and mount rows, driven through the same code the commands use.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Board } from '../src/board/board.js';
import { mountBoard } from '../src/fuse/mount.js';
import { RawRepl } from '../src/repl/raw-repl.js';
import type { BoardSession } from '../src/sync/session.js';
import { watchFolder } from '../src/sync/watch-folder.js';
import { openTransport } from '../src/transport/open.js';
import type { Fixtures, Row } from './bench.js';
import { pythonSource } from './data.js';
import type { BenchTarget, Sample } from './harness.js';

const run = promisify(execFile);
export type Base = Omit<Row, 'name' | 'payload' | 'direction' | 'sample'>;

async function openBoard(bench: BenchTarget): Promise<{ board: Board; repl: RawRepl }> {
  const transport = await openTransport(bench.device, bench.login ?? {});
  const repl = await RawRepl.connect(transport, { baud: bench.baud || 115200 });
  const linkBuffer = transport.bufferedBytes;
  return { board: new Board(repl, linkBuffer ? { linkBuffer } : {}), repl };
}

/** Watch: initial sync of an unchanged tree, then a one-line edit of a 27 KB file. */
async function watchRows(bench: BenchTarget, files: Fixtures, base: Base): Promise<Row[]> {
  const connect = async (): Promise<BoardSession> => {
    const { board, repl } = await openBoard(bench);
    return { board, repl, close: () => repl.close() };
  };
  const rows: Row[] = [];
  // The tree as `cp -r` left it on the board: the initial sync finds nothing to send.
  const flat = base.profile === 'legacy' || base.profile === 'microbit';
  const initial = await bench.measure(async () => {
    const watch = await watchFolder({
      folder: flat ? files.flat : files.tree,
      target: flat ? '/' : '/tree',
      delete: false,
      connect,
    });
    await watch.close();
  });
  rows.push({
    ...base,
    name: 'watch start, 50 files unchanged',
    payload: 0,
    direction: 'none',
    sample: initial,
  });

  rows.push(...(await watchEditRows(bench, base, 27 * 1024, flat ? '/' : '/w')));
  return rows;
}

/** Three one-line edits of a `size`-byte file under watch: the first, and the median of all. */
export async function watchEditRows(
  bench: BenchTarget,
  base: Base,
  size: number,
  target: string,
): Promise<Row[]> {
  const folder = mkdtempSync(join(tmpdir(), 'mpy-bench-watch-'));
  const file = join(folder, `module${Math.round(size / 1024)}.py`);
  const original = pythonSource(size, 2).slice(0, size);
  writeFileSync(file, original);
  const synced: (() => void)[] = [];
  const connect = async (): Promise<BoardSession> => {
    const { board, repl } = await openBoard(bench);
    return { board, repl, close: () => repl.close() };
  };
  const watch = await watchFolder({
    folder,
    target,
    delete: target !== '/',
    connect,
    log: (line) => {
      if (line.startsWith('synced')) synced.shift()?.();
    },
  });
  const label = `${Math.round(size / 1024)} KB file`;
  try {
    const lines = original.split('\n');
    const edits: Sample[] = [];
    for (let i = 0; i < 3; i++) {
      lines[Math.floor(lines.length / 2) + i] = `    total += ${i}  # edited`;
      const done = new Promise<void>((resolve) => synced.push(resolve));
      edits.push(
        await bench.measure(async () => {
          writeFileSync(file, lines.join('\n'));
          await done;
        }),
      );
    }
    return editSampleRows(
      base,
      `watch first one-line edit, ${label}`,
      `watch one-line edit, ${label}`,
      edits,
      'ms from save, incl. ~75 ms debounce',
    );
  } finally {
    await watch.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Mount: `ls -l` of 100 files cold and warm, `cp -r` of 20 files into the mount vs `mpy cp -r`.
 * Flat (legacy) boards keep both sets at the top and copy file by file. */
async function mountRows(bench: BenchTarget, base: Base): Promise<Row[]> {
  const flat = base.profile === 'legacy' || base.profile === 'microbit';
  const work = mkdtempSync(join(tmpdir(), 'mpy-bench-mount-'));
  const hundred = join(work, 'hundred');
  const twenty = join(work, 'twenty');
  mkdirSync(hundred);
  mkdirSync(join(twenty, 'sub'), { recursive: true });
  const hundredNames = Array.from({ length: 100 }, (_, i) => `f${i}.py`);
  for (const [i, name] of hundredNames.entries()) writeFileSync(join(hundred, name), `x = ${i}\n`);
  let twentyBytes = 0;
  const twentyNames: string[] = [];
  for (let i = 0; i < 20; i++) {
    const data = pythonSource(500 + i * 50, 100 + i);
    twentyBytes += data.length;
    const name = join(!flat && i % 4 === 0 ? 'sub' : '', `m${i}.py`);
    twentyNames.push(name);
    writeFileSync(join(twenty, name), data);
  }
  const rows: Row[] = [];
  const add = (name: string, payload: number, direction: Row['direction'], sample: Sample) =>
    rows.push({ ...base, name, payload, direction, sample });
  const twentyPaths = twentyNames.map((name) => join(twenty, name));
  if (flat) await bench.cli('cp', ...hundredNames.map((name) => join(hundred, name)), ':');
  else await bench.cli('cp', '-r', hundred, ':');
  add(
    'mpy cp -r 20 files (for mount)',
    twentyBytes,
    'up',
    await bench.measure(() =>
      flat ? bench.cli('cp', ...twentyPaths, ':') : bench.cli('cp', '-r', twenty, ':'),
    ),
  );
  if (flat) await bench.cli('rm', ...twentyNames.map((name) => `:${name}`));
  else await bench.cli('rm', '-r', ':twenty');
  const mountpoint = join(work, 'mnt');
  mkdirSync(mountpoint);
  const { board, repl } = await openBoard(bench);
  const mounted = await mountBoard(board, mountpoint);
  try {
    const list = () => run('ls', ['-l', flat ? mountpoint : join(mountpoint, 'hundred')]);
    add('mount ls -l 100 files, cold', 0, 'none', await bench.measure(list));
    add('mount ls -l 100 files, warm', 0, 'none', await bench.measure(list));
    const copyIn = flat
      ? () => run('cp', [...twentyPaths, mountpoint])
      : () => run('cp', ['-r', twenty, mountpoint]);
    add('mount cp -r 20 files into it', twentyBytes, 'up', await bench.measure(copyIn));
    // A child compares: this process serves the mount, so it must not block on it itself.
    await run('cmp', [join(twenty, 'm1.py'), join(mountpoint, flat ? '' : 'twenty', 'm1.py')]);
  } finally {
    await mounted.unmount();
    await repl.close();
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

/** A row that reports a step which failed instead of a measurement. */
/** Two rows from a few timed edits: the first one, and the median of the rest. */
export function editSampleRows(
  base: Base,
  firstName: string,
  name: string,
  edits: Sample[],
  note: string,
): Row[] {
  const row = (rowName: string, sample: Sample): Row => ({
    ...base,
    name: rowName,
    payload: 0,
    direction: 'none',
    sample,
    note,
  });
  const first = edits[0]!;
  const sorted = [...edits].sort((a, b) => a.ms - b.ms);
  return [row(firstName, first), row(name, sorted[1]!)];
}

export function failed(base: Base, name: string, error: unknown): Row {
  const sample = { ms: 0, toBoard: 0, toHost: 0, dropped: 0 };
  const note = `failed: ${(error as Error).message.split('\n')[0]}`;
  return { ...base, name, payload: 0, direction: 'none', sample, note };
}

export async function extraRows(bench: BenchTarget, files: Fixtures, base: Base): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await watchRows(bench, files, base).catch((e) => [failed(base, 'watch', e)])));
  rows.push(...(await mountRows(bench, base).catch((e) => [failed(base, 'mount', e)])));
  return rows;
}
