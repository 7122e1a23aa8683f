// bench/dev.ts: the `mpy dev` rows: start on an unchanged 50-file tree until main.py prints, and
// save -> first output line of the new program for a one-line edit of a 27 KB module that
// main.py imports. Driven through the loop the command uses (src/dev/loop.ts).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Board } from '../src/board/board.js';
import { startDev } from '../src/dev/loop.js';
import { RawRepl } from '../src/repl/raw-repl.js';
import type { BoardSession } from '../src/sync/session.js';
import { openTransport } from '../src/transport/open.js';
import type { Fixtures, Row } from './bench.js';
import type { BenchTarget, Sample } from './harness.js';
import { type Base, editSampleRows } from './rows.js';

const latin1 = new TextDecoder('latin1');

/** A loop on `folder` whose board output is collected; `until(text)` resolves once it shows. */
async function devRig(bench: BenchTarget, folder: string, target: string, mpy = false) {
  let output = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const connect = async (): Promise<BoardSession> => {
    const transport = await openTransport(bench.device);
    const repl = await RawRepl.connect(transport, { baud: bench.baud || 115200 });
    return { board: new Board(repl), repl, close: () => repl.close() };
  };
  const until = (text: string) =>
    new Promise<void>((resolve) => {
      if (output.includes(text)) resolve();
      else waiters.push({ text, resolve });
    });
  const start = () =>
    startDev({
      folder,
      target,
      delete: false,
      program: { kind: 'main' },
      mpy,
      connect,
      write: (data) => {
        output += typeof data === 'string' ? data : latin1.decode(data);
        if (process.env.MPY_BENCH_DEBUG) process.stderr.write(data);
        for (const w of waiters.filter((w) => output.includes(w.text))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      },
    });
  return { start, until, reset: () => (output = '') };
}

export async function devRows(bench: BenchTarget, files: Fixtures, base: Base): Promise<Row[]> {
  const rows: Row[] = [];
  const work = mkdtempSync(join(tmpdir(), 'mpy-bench-dev-'));
  try {
    // Start: the 50-file tree and a main.py, already on the board (as a previous run left it).
    const tree = join(work, 'tree');
    cpSync(files.tree, tree, { recursive: true });
    writeFileSync(join(tree, 'main.py'), "print('ready')\n");
    const startRig = await devRig(bench, tree, '/');
    await (await startRig.start()).close();
    startRig.reset();
    let loop: Awaited<ReturnType<typeof startRig.start>> | undefined;
    const started = await bench.measure(async () => {
      loop = await startRig.start();
      await startRig.until('ready');
    });
    await loop?.close();
    rows.push({
      ...base,
      name: 'dev start, 50 files unchanged',
      payload: 0,
      direction: 'none',
      sample: started,
      note: "ms until main.py's first line",
    });

    rows.push(...(await mainEditRows(bench, base, join(work, 'main2k'))));
    rows.push(...(await editRows(bench, base, join(work, 'app'), false)));
    rows.push(...(await editRows(bench, base, join(work, 'app-mpy'), true)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

/** Save -> first line of the new program, three one-line edits of a 27 KB module main.py
 * imports (with `--mpy`: the module goes compiled and each edit as .mpy differences). */
async function editRows(bench: BenchTarget, base: Base, app: string, mpy: boolean): Promise<Row[]> {
  // Edits: main.py imports a 27 KB module and prints its MARK.
  const module = `${importableModule(27 * 1024 - 12)}MARK = 0\n`;
  mkdirSync(app);
  writeFileSync(join(app, 'module27.py'), module);
  writeFileSync(join(app, 'main.py'), "import module27\nprint('mark', module27.MARK)\n");
  const what = mpy ? '27 KB module, --mpy' : '27 KB module';
  return markEditRows(bench, base, app, 'module27.py', module, mpy, what);
}

/** Save -> first line for three one-line edits of a 2 KB main.py itself (the case: the
 * soft reset before each run wipes whatever the board layer had in RAM). */
async function mainEditRows(bench: BenchTarget, base: Base, app: string): Promise<Row[]> {
  const main = `${importableModule(2048 - 40)}MARK = 0\nprint('mark', MARK)\n`;
  mkdirSync(app);
  writeFileSync(join(app, 'main.py'), main);
  return markEditRows(bench, base, app, 'main.py', main, false, '2 KB main.py');
}

/** `mpy dev` on `app` at the board's root (a soft reset runs /main.py, which prints `mark N`):
 * three saves of `file` with `MARK = 0` made `MARK = i`, each timed to its `mark i` line. */
async function markEditRows(
  bench: BenchTarget,
  base: Base,
  app: string,
  file: string,
  content: string,
  mpy: boolean,
  what: string,
): Promise<Row[]> {
  const rig = await devRig(bench, app, '/', mpy);
  const dev = await rig.start();
  try {
    await rig.until('mark 0\r\n');
    const edits: Sample[] = [];
    for (let i = 1; i <= 3; i++) {
      const shown = rig.until(`mark ${i}\r\n`);
      edits.push(
        await bench.measure(async () => {
          writeFileSync(join(app, file), content.replace('MARK = 0', `MARK = ${i}`));
          await shown;
        }),
      );
      // Let the board reach its prompt before the next save.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return editSampleRows(
      base,
      `dev first one-line edit, ${what}`,
      `dev one-line edit, ${what}`,
      edits,
      'ms from save to the first line, incl. ~75 ms debounce',
    );
  } finally {
    await dev.close();
  }
}

/** About `size` bytes of Python that compiles (data.ts's pythonSource is for transfers: its
 * functions reuse argument names), so main.py can import it. */
function importableModule(size: number): string {
  const blocks: string[] = ['# generated module for the dev rows\n'];
  let length = blocks[0]!.length;
  for (let n = 0; length < size; n++) {
    const block =
      `def scale_${n}(value, factor=${n % 97}):\n` +
      `    """Scale the value by ${n}, plus the factor."""\n` +
      `    total = 0\n    for i in range(${1 + (n % 9)}):\n        total += value * i + factor\n` +
      '    return total\n\n';
    blocks.push(block);
    length += block.length;
  }
  return blocks
    .join('')
    .slice(0, size)
    .replace(/[^\n]*$/, '');
}
