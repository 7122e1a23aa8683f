// bench/bench.ts: `npm run bench`: measure mpy on the virtual board at 115200 baud and unthrottled,
// modern and legacy firmware, and print one table; then the everyday table (bench/everyday.ts).
// Byte counts come from the sim's wire counters or the real boards' relay.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectTree, pythonSource, randomBytes } from './data.js';
import { deployRows } from './deploy.js';
import { devRows } from './dev.js';
import { everydayBench } from './everyday.js';
import { BenchBoard, type BenchTarget, median, RealBench, type Sample } from './harness.js';
import { microbitRows } from './microbit.js';
import { mpyRows } from './mpy.js';
import { extraRows, failed } from './rows.js';
import { webreplRows } from './webrepl.js';

/** One line of the table. */
export interface Row {
  profile: string;
  link: string;
  name: string;
  /** Payload bytes the step moves (0 for control steps). */
  payload: number;
  /** Which direction carries the payload, for bytes-per-payload and % of the link. */
  direction: 'up' | 'down' | 'none';
  baud: number;
  sample: Sample;
  note?: string;
}

const RUNS = Number(process.env.MPY_BENCH_RUNS ?? 3);
const LINKS = [
  { label: '115200', baud: 115200 },
  { label: 'USB', baud: 0 },
];
/** Virtual boards (modern, legacy), real firmware of ../shared/boards (qemu, unix, microbit),
 * and the virtual board as a WebREPL board with WiFi latency (webrepl, its own rows). */
type Profile = 'modern' | 'legacy' | 'qemu' | 'unix' | 'microbit' | 'webrepl';
const PROFILES = (process.env.MPY_BENCH_PROFILES ?? 'modern,legacy,qemu,microbit,webrepl').split(
  ',',
) as Profile[];
/** `MPY_BENCH_ROWS=dev` runs only the `mpy dev` rows, `everyday` only the everyday table
 * (bench/everyday.ts), `deploy` only the many-board `sync` and `watch` rows on unixboards
 * (bench/deploy.ts, never in the full run: 9 boards at once); unset, the table above and then
 * the everyday one. */
const ONLY_ROWS = process.env.MPY_BENCH_ROWS;

/** `MPY_BENCH_ONLY=mpy`: only the `--mpy` rows (bench/mpy.ts), on the profiles that load .mpy. */
const ONLY = process.env.MPY_BENCH_ONLY;

/** The micro:bit's UART is 115200 baud only; the others also run unthrottled. */
function linksOf(profile: Profile) {
  return profile === 'microbit' ? LINKS.slice(0, 1) : LINKS;
}

function startTarget(profile: Exclude<Profile, 'webrepl'>, baud: number): Promise<BenchTarget> {
  if (profile === 'modern' || profile === 'legacy') return BenchBoard.start(profile, baud);
  return RealBench.start(profile, baud);
}

/** Local files every row reads: fixed seeds, so every run moves the same bytes. */
function makeFixtures(dir: string) {
  const random64 = join(dir, 'random64.bin');
  writeFileSync(random64, randomBytes(64 * 1024, 1));
  const random16 = join(dir, 'random16.bin');
  writeFileSync(random16, randomBytes(16 * 1024, 4));
  const source3000 = join(dir, 'module3k.py');
  writeFileSync(source3000, pythonSource(3000, 5).slice(0, 3000));
  const source27 = join(dir, 'module27.py');
  writeFileSync(source27, pythonSource(27 * 1024, 2));
  const tree = join(dir, 'tree');
  for (const [path, data] of projectTree(50, 3)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), data);
  }
  // Boards without folders (legacy) get the same number of files, all at the top.
  const flat = join(dir, 'flat');
  mkdirSync(flat);
  const flatFiles = [...projectTree(50, 3, true)].map(([name, data]) => {
    writeFileSync(join(flat, name), data);
    return name;
  });
  return {
    dir,
    random64,
    random16,
    source3000,
    source27,
    tree,
    treeBytes: sumTree(projectTree(50, 3)),
    flat,
    flatFiles,
    flatBytes: sumTree(projectTree(50, 3, true)),
  };
}

function sumTree(tree: Map<string, Uint8Array>): number {
  let total = 0;
  for (const data of tree.values()) total += data.length;
  return total;
}

export type Fixtures = ReturnType<typeof makeFixtures>;

/** Run `step` RUNS times (after `before` each time, unmeasured) and keep the median. */
export async function repeat(
  board: BenchTarget,
  step: () => Promise<unknown>,
  before?: () => Promise<unknown>,
  runs = RUNS,
): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before();
    samples.push(await board.measure(step));
  }
  return median(samples);
}

/** A 16 KB upload on the first connection after power-up (probe and helper travel), measured
 * on a new board each run, and on the next connection (which finds the helper and reuses it). */
async function firstUseRows(
  profile: Exclude<Profile, 'webrepl'>,
  baud: number,
  files: Fixtures,
  base: Base,
) {
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const board = await startTarget(profile, baud);
    try {
      cold.push(await board.measure(() => board.cli('cp', files.random16, ':r16.bin')));
      warm.push(await board.measure(() => board.cli('cp', '-f', files.random16, ':r16.bin')));
    } finally {
      await board.stop();
    }
  }
  const row = (name: string, samples: Sample[]): Row => ({
    ...base,
    name,
    payload: 16 * 1024,
    direction: 'up',
    sample: median(samples),
  });
  return [
    row('upload 16 KB random, board just booted', cold),
    row('upload 16 KB random, next connection', warm),
  ];
}

type Base = Omit<Row, 'name' | 'payload' | 'direction' | 'sample'>;

async function coreRows(board: BenchTarget, files: Fixtures, base: Base): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (name: string, payload: number, direction: Row['direction'], sample: Sample) =>
    rows.push({ ...base, name, payload, direction, sample });
  const out = join(files.dir, 'download.bin');
  const forget = async () => rmSync(out, { force: true });

  add('connect + exec pass', 0, 'none', await repeat(board, () => board.cli('exec', 'pass')));
  for (const [label, path, size] of [
    ['64 KB random', files.random64, 64 * 1024],
    ['27 KB .py', files.source27, 27 * 1024],
  ] as const) {
    add(
      `upload ${label}`,
      size,
      'up',
      await repeat(board, () => board.cli('cp', '-f', path, ':f')),
    );
    add(
      `download ${label}`,
      size,
      'down',
      await repeat(board, () => board.cli('cp', ':f', out), forget),
    );
  }
  // `cp -r DIR :` on boards with folders; the files one by one into `:` on flat boards.
  const flat = base.profile === 'legacy' || base.profile === 'microbit';
  const copyTree = flat
    ? () => board.cli('cp', ...files.flatFiles.map((f) => join(files.flat, f)), ':')
    : () => board.cli('cp', '-r', files.tree, ':');
  const dropTree = flat
    ? () => board.cli('rm', ...files.flatFiles.map((f) => `:${f}`)).catch(() => undefined)
    : () => board.cli('rm', '-r', ':tree').catch(() => undefined);
  const treeBytes = flat ? files.flatBytes : files.treeBytes;
  add('cp -r 50 files, cold', treeBytes, 'up', await repeat(board, copyTree, dropTree));
  add('cp -r 50 files, unchanged', 0, 'none', await repeat(board, copyTree));
  return rows;
}

function formatRow(row: Row): string[] {
  const { sample, payload, direction, baud } = row;
  const wire = direction === 'up' ? sample.toBoard : sample.toHost;
  const perByte = direction === 'none' || payload === 0 ? '-' : (wire / payload).toFixed(3);
  const rate = payload > 0 && direction !== 'none' ? payload / (sample.ms / 1000) : 0;
  const ofLink = baud > 0 && rate > 0 ? `${((rate / (baud / 10)) * 100).toFixed(0)} %` : '-';
  return [
    row.profile,
    row.link,
    row.name,
    payload ? String(payload) : '-',
    sample.ms.toFixed(0),
    String(sample.toBoard),
    String(sample.toHost),
    perByte,
    rate ? `${(rate / 1024).toFixed(1)} KB/s` : '-',
    ofLink,
    row.note ?? '',
  ];
}

function printTable(rows: Row[]): void {
  const head = [
    'profile',
    'link',
    'step',
    'payload B',
    'ms',
    '->board B',
    '->host B',
    'wire/payload',
    'rate',
    '% link',
    'note',
  ];
  const cells = [head, ...rows.map(formatRow)];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of cells.slice(1)) console.log(line(r));
}

async function benchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-bench-'));
  const files = makeFixtures(dir);
  const rows: Row[] = [];
  try {
    if (ONLY_ROWS === 'deploy') {
      for (const link of LINKS) {
        rows.push(...(await deployRows(files, link.baud)));
        process.stderr.write(`bench: deploy at ${link.label} done\n`);
      }
    }
    for (const profile of ONLY_ROWS === 'deploy' ? [] : PROFILES) {
      if (profile === 'webrepl') {
        rows.push(...(await webreplRows(files, repeat)));
        process.stderr.write('bench: webrepl done\n');
        continue;
      }
      for (const link of linksOf(profile)) {
        const base = { profile, link: link.label, baud: link.baud };
        const tiny = profile === 'microbit' || profile === 'legacy';
        if (ONLY === 'mpy') {
          if (tiny) continue;
          const board = await startTarget(profile, link.baud);
          try {
            rows.push(...(await mpyRows(board, base)));
          } finally {
            await board.stop();
          }
          process.stderr.write(`bench: ${profile} at ${link.label} done\n`);
          continue;
        }
        if (ONLY_ROWS === 'dev') {
          const board = await startTarget(profile, link.baud);
          try {
            rows.push(
              ...(await devRows(board, files, base).catch((e) => [failed(base, 'dev', e)])),
            );
          } finally {
            await board.stop();
          }
          continue;
        }
        if (!tiny) {
          rows.push(
            ...(await firstUseRows(profile, link.baud, files, base).catch((e) => [
              failed(base, 'first use', e),
            ])),
          );
        }
        const board = await startTarget(profile, link.baud);
        try {
          // A failing step becomes a row saying so; the other rows still print.
          if (tiny) rows.push(...(await microbitRows(board, files, base)));
          else {
            rows.push(
              ...(await coreRows(board, files, base).catch((e) => [failed(base, 'copy', e)])),
            );
            rows.push(...(await extraRows(board, files, base)));
            rows.push(...(await mpyRows(board, base)));
            rows.push(
              ...(await devRows(board, files, base).catch((e) => [failed(base, 'dev', e)])),
            );
          }
        } finally {
          await board.stop();
        }
        process.stderr.write(`bench: ${profile} at ${link.label} done\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `mpy bench, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
      `${process.platform}/${process.arch}, median of ${RUNS} runs; link limit = baud/10 B/s`,
  );
  printTable(rows);
}

if (ONLY_ROWS !== 'everyday') await benchmark();
if (ONLY_ROWS === 'everyday' || (!ONLY_ROWS && !ONLY)) await everydayBench();
