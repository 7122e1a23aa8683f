// test/fuse/sim.test.ts: the mount (real FUSE) end to end on the board kinds: shell tools in the
// mount, the board's own view afterwards, round trips and wire bytes for `ls -l`, and `cp -r`
// speed against copying the same tree with the board layer directly (what `mpy cp -r` does).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Board } from '../../src/board/board.js';
import {
  type BoardKind,
  boardFacts,
  kindSkip,
  kindsWhere,
  openTestBoard,
  type TestBoard,
  wireDelta,
} from '../helpers/boards.js';
import { fuseUnavailable, mountForTest, type TestMount } from './harness.js';
import { type CountingBoard, countingBoard } from './memory-board.js';

const noFuse = await fuseUnavailable();
const skip = (kind: BoardKind) => noFuse || kindSkip(kind);
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** A local tree of `files` small Python files in two folders, like a project's `lib`. */
async function localTree(files: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'mpy-fuse-tree-'));
  await mkdir(join(root, 'pkg', 'sub'), { recursive: true });
  for (let i = 0; i < files; i++) {
    const folder = i % 2 === 0 ? 'pkg' : join('pkg', 'sub');
    await writeFile(join(root, folder, `m${i}.py`), `# module ${i}\n${'x = 1\n'.repeat(20 + i)}`);
  }
  return root;
}

for (const kind of kindsWhere((facts) => !facts.flat))
  describe(`mount on ${kind}`, { skip: skip(kind) }, () => {
    let sim: TestBoard;
    let board: Board;
    let counted: CountingBoard;
    let mount: TestMount;
    let tree: string;

    before(async () => {
      sim = await openTestBoard(kind);
      board = new Board(sim.repl);
      await board.mkdir('/many');
      for (let i = 0; i < 100; i++) await board.writeFile(`/many/f${i}.py`, bytes(`v = ${i}\n`));
      await board.writeFile('/main.py', bytes('print("hello")\n'));
      tree = await localTree(20);
      counted = countingBoard(board);
      mount = await mountForTest(counted.board);
    });
    after(async () => {
      await mount?.close();
      await sim?.close();
      if (tree) await rm(tree, { recursive: true, force: true });
    });

    it('ls -l of a 100-file folder: one round trip cold, no wire bytes warm', async () => {
      await mount.ok('ls -ld many');
      counted.calls.clear();
      const cold = await mount.ok('ls -l many');
      assert.deepEqual([...counted.calls], [['listDir', 1]]);
      assert.equal(cold.trim().split('\n').length, 101);
      assert.match(cold, /-rw-r--r-- .* 7 .* f42\.py/);
      const before = await sim.counters();
      counted.calls.clear();
      assert.equal(await mount.ok('ls -l many'), cold);
      assert.equal(counted.total(), 0);
      const wire = wireDelta(before, await sim.counters());
      assert.equal(wire.hostToBoard + wire.boardToHost, 0);
    });

    it('cat, redirection, mv, rm, mkdir, rmdir reach the board', async () => {
      assert.equal(await mount.ok('cat main.py'), 'print("hello")\n');
      await mount.ok('echo "x = 2" > new.py && mkdir lib && mv new.py lib/new.py && rm many/f0.py');
      await mount.ok('mkdir gone && rmdir gone && echo "y" >> lib/new.py');
      assert.equal(text(await board.readFile('/lib/new.py')), 'x = 2\ny\n');
      const names = (await board.listDir('/')).map((entry) => entry.name).sort();
      assert.deepEqual(names, ['lib', 'main.py', 'many']);
      assert.equal((await board.stat('/many/f0.py')) ?? 'missing', 'missing');
      const failed = await mount.sh('rmdir lib');
      assert.match(failed.stderr, /Directory not empty/);
    });

    // Unthrottled, a real board copies the tree in tens of ms: FUSE's own calls and the load of
    // the machine decide the ratio there, not mpy. Judged where the board or the line is slow.
    const timed = boardFacts(kind).sim || boardFacts(kind).baud > 0;
    it('cp -r of a 20-file tree is within 1.3x of copying it with the board layer', {
      skip: !timed && 'unthrottled real board: too fast to compare',
    }, async () => {
      /** Copy the tree with Board calls, as `mpy cp -r` does (it adds a stat and a digest scan). */
      const copyDirect = async (root: string) => {
        await board.mkdir(root);
        await board.mkdir(`${root}/pkg`);
        await board.mkdir(`${root}/pkg/sub`);
        for (let i = 0; i < 20; i++) {
          const folder = i % 2 === 0 ? 'pkg' : 'pkg/sub';
          const data = await readFile(join(tree, folder, `m${i}.py`));
          await board.writeFile(`${root}/${folder}/m${i}.py`, data);
        }
      };
      const timed = async (action: () => Promise<unknown>) => {
        const started = performance.now();
        await action();
        return performance.now() - started;
      };
      // A test machine running other suites can stall either side; one of two rounds must pass.
      const rounds: string[] = [];
      for (const round of [1, 2]) {
        const direct = await timed(() => copyDirect(`/direct${round}`));
        const mounted = await timed(() =>
          mount.ok(`mkdir m${round} && cp -r "${tree}/pkg" m${round}/`),
        );
        const copied = await board.digestTree(`/m${round}/pkg`);
        const reference = await board.digestTree(`/direct${round}/pkg`);
        assert.equal(copied.length, 20);
        assert.deepEqual(
          copied.map((file) => [file.path.slice(`/m${round}/pkg`.length), file.digest]).sort(),
          reference
            .map((file) => [file.path.slice(`/direct${round}/pkg`.length), file.digest])
            .sort(),
        );
        rounds.push(`mount ${mounted.toFixed(0)} ms vs board layer ${direct.toFixed(0)} ms`);
        if (mounted <= direct * 1.3) return;
      }
      assert.fail(`cp -r into the mount is slower than 1.3x: ${rounds.join('; ')}`);
    });

    it('editor saves (vim with its swap file, temp file renamed over) and cat while writing', async () => {
      await mount.ok('vim -u NONE -i NONE -N -e -s -c "normal! Goimport os" -c wq main.py');
      assert.equal(text(await board.readFile('/main.py')), 'print("hello")\nimport os\n');
      await mount.ok('printf "a = 1\\n" > main.py.tmp && mv main.py.tmp main.py');
      assert.equal(text(await board.readFile('/main.py')), 'a = 1\n');
      assert.deepEqual(
        (await board.listDir('/')).filter((entry) => /swp|tmp|~$/.test(entry.name)),
        [],
      );
      const [written, read] = await Promise.all([
        mount.ok('head -c 30000 /dev/zero | tr "\\0" "z" > big.txt && wc -c < big.txt'),
        mount.ok('cat main.py main.py'),
      ]);
      assert.equal(written.trim(), '30000');
      assert.equal(read, 'a = 1\n'.repeat(2));
      assert.equal((await board.stat('/big.txt'))?.size, 30000);
    });
  });

for (const kind of kindsWhere((facts) => facts.flat))
  describe(`mount on ${kind} (flat filesystem)`, { skip: skip(kind) }, () => {
    let sim: TestBoard;
    let board: Board;
    let mount: TestMount;
    const logged: string[] = [];

    before(async () => {
      sim = await openTestBoard(kind);
      board = new Board(sim.repl);
      mount = await mountForTest(board, { log: (line) => logged.push(line) });
    });
    after(async () => {
      await mount?.close();
      await sim?.close();
    });

    it('files work, mkdir is refused with EPERM and a log line', async () => {
      await mount.ok('echo "print(1)" > boot.py');
      assert.equal(await mount.ok('cat boot.py && ls'), 'print(1)\nboot.py\n');
      assert.equal(text(await board.readFile('/boot.py')), 'print(1)\n');
      const result = await mount.sh('mkdir lib');
      assert.match(result.stderr, /Operation not permitted/);
      assert.match(logged.join('\n'), /flat/);
    });
  });
