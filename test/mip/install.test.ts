// test/mip/install.test.ts: writing a resolved plan to a board (in memory): mpremote's lines,
// folders made with their parents, files that already match left alone, flat boards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BoardFs, TreeWrite } from '../../src/board/types.js';
import { BoardError } from '../../src/errors.js';
import { writePlan } from '../../src/mip/install.js';
import type { PlanStep } from '../../src/mip/resolve.js';
import { memoryWriteTree } from '../board/memory-tree.js';
import { MemoryBoard } from '../fuse/memory-board.js';

/** MemoryBoard with `mkdir -p`, counting the folders asked for. */
class Board extends MemoryBoard {
  readonly mkdirs: string[] = [];
  override async mkdir(path: string, options: { parents?: boolean } = {}): Promise<void> {
    this.mkdirs.push(path);
    if (!options.parents) return super.mkdir(path);
    let sofar = '';
    for (const part of path.split('/').filter(Boolean)) {
      sofar += `/${part}`;
      if (!this.entries.has(sofar)) await super.mkdir(sofar);
    }
  }
}

const file = (dest: string, text: string): PlanStep => ({
  kind: 'file',
  dest,
  data: Buffer.from(text),
  source: `http://x${dest}`,
});

const text = (board: MemoryBoard, path: string) => Buffer.from(board.entries.get(path)!).toString();

test('notes and Installing: lines in order, folders made once with parents', async () => {
  const board = new Board();
  const lines: string[] = [];
  const steps: PlanStep[] = [
    { kind: 'note', text: 'Installing pkg (latest) from IDX to /lib' },
    file('/lib/pkg/__init__.py', 'I'),
    file('/lib/pkg/sub/x.py', 'X'),
    file('/lib/pkg/y.py', 'Y'),
  ];
  await writePlan(board, steps, { line: (t) => lines.push(t) });
  assert.deepEqual(lines, [
    'Installing pkg (latest) from IDX to /lib',
    'Installing: /lib/pkg/__init__.py',
    'Installing: /lib/pkg/sub/x.py',
    'Installing: /lib/pkg/y.py',
  ]);
  assert.deepEqual(board.mkdirs, ['/lib/pkg', '/lib/pkg/sub']);
  assert.equal(text(board, '/lib/pkg/sub/x.py'), 'X');

  // a second install leaves matching files alone and rewrites the changed one
  lines.length = 0;
  steps[3] = file('/lib/pkg/y.py', 'Y2');
  await writePlan(board, steps, { line: (t) => lines.push(t) });
  assert.deepEqual(lines.slice(1), [
    'Exists: /lib/pkg/__init__.py',
    'Exists: /lib/pkg/sub/x.py',
    'Installing: /lib/pkg/y.py',
  ]);
  assert.equal(text(board, '/lib/pkg/y.py'), 'Y2');
});

test("a package's files go as one tree where the board takes one, with the same lines", async () => {
  const trees: TreeWrite[] = [];
  const board: Board & Pick<BoardFs, 'writeTree'> = new Board();
  board.writeTree = memoryWriteTree(board, trees, () => true);
  const lines: string[] = [];
  const steps: PlanStep[] = [
    { kind: 'note', text: 'Installing pkg (latest) from IDX to /lib' },
    file('/lib/pkg/__init__.py', 'I'),
    file('/lib/pkg/sub/x.py', 'X'),
    { kind: 'note', text: 'Installing dep (latest) from IDX to /lib' },
    file('/lib/dep.py', 'D'),
  ];
  await writePlan(board, steps, { line: (t) => lines.push(t) });
  assert.deepEqual(lines, [
    'Installing pkg (latest) from IDX to /lib',
    'Installing: /lib/pkg/__init__.py',
    'Installing: /lib/pkg/sub/x.py',
    'Installing dep (latest) from IDX to /lib',
    'Installing: /lib/dep.py',
  ]);
  // one tree for the package of two files; a lone file goes as before
  assert.equal(trees.length, 1);
  assert.deepEqual(
    trees[0]!.files.map((f) => f.path),
    ['/lib/pkg/__init__.py', '/lib/pkg/sub/x.py'],
  );
  assert.equal(text(board, '/lib/pkg/sub/x.py'), 'X');
  lines.length = 0;
  steps[2] = file('/lib/pkg/sub/x.py', 'X2');
  await writePlan(board, steps, { line: (t) => lines.push(t) });
  assert.deepEqual(lines.slice(1, 3), [
    'Exists: /lib/pkg/__init__.py',
    'Installing: /lib/pkg/sub/x.py',
  ]);
  assert.equal(text(board, '/lib/pkg/sub/x.py'), 'X2');
});

test('a flat board takes files at / and refuses a file in a folder', async () => {
  const board = new Board({ flat: true });
  const lines: string[] = [];
  await writePlan(board, [file('/one.py', '1')], { line: (t) => lines.push(t) });
  assert.equal(text(board, '/one.py'), '1');
  await assert.rejects(
    writePlan(board, [file('/pkg/two.py', '2')], { line: (t) => lines.push(t) }),
    /^MpyError: cannot install \/pkg\/two.py: this board has no folders$/,
  );
  assert.deepEqual(board.mkdirs, []);
});

test('board errors go through onBoard with the path they are about', async () => {
  const board = new Board({ capacity: 4 });
  const seen: string[] = [];
  await assert.rejects(
    writePlan(board, [file('/big.py', 'too large for the board')], {
      line: () => {},
      onBoard: async (path, action) => {
        seen.push(path);
        return action();
      },
    }),
    (error: unknown) => error instanceof BoardError && error.errno === 28,
  );
  assert.deepEqual(seen, ['/big.py', '/big.py']);
});
