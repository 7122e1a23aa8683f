// test/commands/cp-tree.e2e.test.ts: `cp -r DIR :` as a user runs it (bin/mpy.js -d PTY, a new
// process each time) on every board kind behind a pty: where the board takes a whole tree
// (deflate, binary stdin, folders) it goes as one stream, fewer bytes than the files hold, and an
// unchanged tree costs a few hundred bytes; a changed file and an unchanged tree print what file
// by file printed. Flat boards (micro:bit v1) take no tree and copy file by file as before.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import {
  boardFacts,
  kindSkip,
  kindsWhere,
  openTestBoard,
  type TestBoard,
  type WireCounters,
} from '../helpers/boards.js';
import { type CliResult, runBin } from './cli-run.js';

function ok(result: CliResult): string {
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
  return result.stdout.toString();
}

/** mpremote's order: the sorted path components. */
function sortedPaths(paths: string[]): string[] {
  const parts = paths.map((p) => p.split('/'));
  parts.sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    }
    return a.length - b.length;
  });
  return parts.map((p) => p.join('/'));
}

/** About `size` bytes of Python source, different for each `seed`. */
function pythonSource(size: number, seed: number): string {
  let out = `# module ${seed}\nimport time\n`;
  for (let n = 0; out.length < size; n++) {
    out += `def f_${seed}_${n}(x, y=${(seed * 31 + n * 7) % 100}):\n    return x * ${n} + y  # ${seed}\n\n`;
  }
  return out;
}

/** The test tree: small modules in two folders, an odd name, a binary file holding Ctrl-C and
 * Ctrl-D bytes, an empty folder. */
function makeTree(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (s: string) => new TextEncoder().encode(s);
  files.set('main.py', text(pythonSource(1500, 1)));
  for (let i = 0; i < 12; i++)
    files.set(`lib/mod_${i}.py`, text(pythonSource(800 + i * 100, i + 2)));
  for (let i = 0; i < 6; i++)
    files.set(`lib/drivers/drv_${i}.py`, text(pythonSource(1200, i + 20)));
  files.set("it's here.py", text('print("names are data")\n'));
  const blob = new Uint8Array(randomBytes(2000));
  blob.set([3, 3, 4, 3], 100);
  files.set('data/blob.bin', blob);
  return files;
}

function writeTree(root: string, files: Map<string, Uint8Array>): void {
  mkdirSync(join(root, 'empty'), { recursive: true });
  for (const [path, data] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
  }
}

function upToDate(paths: string[]): string {
  return sortedPaths(paths)
    .map((p) => `Up to date: ./tree/${p}\n`)
    .join('');
}

for (const kind of kindsWhere((_, k) => k !== 'inproc')) {
  const facts = boardFacts(kind);
  // the kinds where the tree goes as one stream (all have room for it)
  const streams = facts.hasDeflate && facts.stdinBuffer && !facts.flat;
  describe(`cp -r of a tree on ${kind} (mpy -d PTY)`, { skip: kindSkip(kind) }, () => {
    let t: TestBoard;
    let root: string;
    const mpy = (...args: string[]) => runBin('-d', t.ptyPath!, ...args);
    /** Wire bytes of one step. */
    const counted = async (step: () => Promise<unknown>): Promise<WireCounters> => {
      const before = await t.counters();
      await step();
      const after = await t.counters();
      return {
        hostToBoard: after.hostToBoard - before.hostToBoard,
        boardToHost: after.boardToHost - before.boardToHost,
      };
    };

    before(async () => {
      t = await openTestBoard(kind);
      root = mkdtempSync(join(tmpdir(), 'mpy-cp-tree-'));
    });
    after(async () => {
      await t?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    if (facts.flat) {
      test('a flat board takes no tree: cp -r goes file by file, as before', async () => {
        const board = new Board(t.repl);
        const data = new TextEncoder().encode('print(1)\n');
        const files = [
          { path: '/t1.py', data },
          { path: '/t2.py', data },
        ];
        let told = 0;
        const taken = await board.writeTree({ folders: [], files, onFile: () => told++ });
        assert.equal(taken, false);
        assert.equal(told, 0, 'nothing reported for a tree not taken');
        await t.repl.close(); // the port is the CLI's now
        const flat = join(root, 'flat');
        mkdirSync(flat);
        writeFileSync(join(flat, 'a.py'), 'print("a")\n');
        writeFileSync(join(flat, 'b.py'), 'print("b")\n');
        assert.equal(ok(await mpy('cp', '-r', flat, ':')), `cp ${flat} :\n`);
        assert.equal(ok(await mpy('cat', ':flat/b.py')), 'print("b")\n');
      });
      return;
    }

    test('a cold tree, then one changed and one new file, then an unchanged tree', async () => {
      await t.repl.close(); // the port is the CLI's now
      const files = makeTree();
      const local = join(root, 'tree');
      writeTree(local, files);
      const payload = [...files.values()].reduce((n, d) => n + d.length, 0);
      const back = (name: string) => join(root, name);
      const same = async (name: string) => {
        ok(await mpy('cp', '-r', ':tree', back(name)));
        for (const [path, data] of files) {
          assert.deepEqual(readFileSync(join(back(name), path)), Buffer.from(data), path);
        }
        assert.ok(statSync(join(back(name), 'empty')).isDirectory());
      };

      // cold: everything goes
      let out = '';
      const cold = await counted(async () => {
        out = ok(await mpy('cp', '-r', local, ':'));
      });
      assert.equal(out, `cp ${local} :\n`);
      await same('back1');
      if (streams) {
        assert.ok(
          cold.hostToBoard < payload / 2,
          `${cold.hostToBoard} wire bytes for ${payload} bytes of files: not one stream`,
        );
      }

      // one file changed, one added: the others are up to date, in mpremote's order
      files.set('lib/mod_3.py', new TextEncoder().encode('print("changed")\n'));
      files.set('lib/new.py', new TextEncoder().encode('print("new")\n'));
      writeTree(local, files);
      const held = [...files.keys()].filter((p) => p !== 'lib/mod_3.py' && p !== 'lib/new.py');
      out = ok(await mpy('cp', '-r', local, ':'));
      assert.equal(out, `cp ${local} :\n${upToDate(held)}`);
      await same('back2');

      // unchanged: every file up to date, and the board says so in one character a file
      const unchanged = await counted(async () => {
        out = ok(await mpy('cp', '-r', local, ':'));
      });
      assert.equal(out, `cp ${local} :\n${upToDate([...files.keys()])}`);
      if (streams) {
        // file by file, the board sent each file's digest (~90 bytes a file)
        assert.ok(
          unchanged.boardToHost < 400 + files.size * 10,
          `${unchanged.boardToHost} bytes from the board for an unchanged tree`,
        );
      }
      // -f sends them all again, without a word
      assert.equal(ok(await mpy('cp', '-r', '-f', local, ':')), `cp ${local} :\n`);
      await same('back3');
    });

    test('a file where the tree has a folder is reported as file by file reports it', async () => {
      const local = join(root, 'clash');
      mkdirSync(join(local, 'sub'), { recursive: true });
      writeFileSync(join(local, 'sub', 'x.py'), 'x = 1\n');
      writeFileSync(join(local, 'y.py'), 'y = 1\n');
      ok(await mpy('mkdir', ':clash', '+', 'mkdir', ':clash/y.py'));
      const result = await mpy('cp', '-r', local, ':');
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr.trimEnd(), /^mpy: cp: .*y\.py/);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      ok(await mpy('rm', '-r', ':clash'));
    });
  });
}
