// test/sync/tree-sync.test.ts: a sync's whole-file writes go as one tree where the board takes
// one (BoardFs.writeTree): which actions travel together, the report, and the file-by-file path
// of a board that takes no tree.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { TreeWrite } from '../../src/board/types.js';
import { treeActions } from '../../src/sync/mirror.js';
import type { SyncAction } from '../../src/sync/plan.js';
import { Syncer } from '../../src/sync/syncer.js';
import { memoryWriteTree } from '../board/memory-tree.js';
import { MemoryBoard } from './memory-board.js';

/** A memory board that takes trees (unless `takes` is false), recording them. */
class TreeBoard extends MemoryBoard {
  readonly trees: TreeWrite[] = [];
  takes = true;
  writeTree = memoryWriteTree(this, this.trees, () => this.takes);
}

let folder: string;
let board: TreeBoard;
let logs: string[];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'mpy-tree-sync-'));
  board = new TreeBoard();
  logs = [];
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function syncer(): Syncer {
  return new Syncer({
    folder,
    target: '/',
    delete: true,
    connect: async () => ({ board, close: async () => {} }),
    log: (line) => logs.push(line),
  });
}

async function put(path: string, content: string): Promise<void> {
  await mkdir(join(folder, path, '..'), { recursive: true });
  await writeFile(join(folder, path), content);
}

test('several writes go as one tree with the new folders, after the removals', () => {
  const write = (path: string): SyncAction => ({ type: 'write', path });
  const mkdirs: SyncAction[] = [
    { type: 'mkdir', path: 'lib' },
    { type: 'mkdir', path: 'lib/sub' },
  ];
  const remove: SyncAction = { type: 'remove', path: 'old.py' };
  const patch: SyncAction = { type: 'patch', path: 'big.py' };
  const plan = [...mkdirs, remove, write('a.py'), patch, write('lib/b.py')];
  assert.deepEqual(treeActions(plan), [...mkdirs, write('a.py'), write('lib/b.py')]);
  // one write is not worth a tree
  assert.deepEqual(treeActions([...mkdirs, write('a.py'), patch]), []);
  // a rename may move files into a new folder: folders stay in plan order
  const moved: SyncAction = { type: 'rename', from: 'x.py', to: 'lib/x.py', kind: 'file' };
  assert.deepEqual(treeActions([...mkdirs, moved, write('a.py'), write('b.py')]), [
    write('a.py'),
    write('b.py'),
  ]);
});

test('the first sync sends the files as one tree and reports what file by file reported', async () => {
  await put('main.py', 'print(1)\n');
  await put('lib/util.py', 'X = 1\n');
  await put('lib/sub/deep.py', 'Y = 2\n');
  board.files.set('/stale.py', new TextEncoder().encode('old'));
  const s = syncer();
  const report = await s.applyBurst([]);
  assert.equal(board.trees.length, 1);
  const tree = board.trees[0]!;
  assert.equal(tree.force, true, 'the plan knows they differ: the board is asked nothing');
  assert.deepEqual(tree.folders, ['/lib', '/lib/sub']);
  assert.deepEqual(
    tree.files.map((f) => f.path),
    ['/lib/sub/deep.py', '/lib/util.py', '/main.py'],
  );
  assert.deepEqual(board.snapshot(), {
    'lib/sub/deep.py': 'Y = 2\n',
    'lib/util.py': 'X = 1\n',
    'main.py': 'print(1)\n',
  });
  assert.deepEqual(report.counts, { patched: 0, written: 3, removed: 1, renamed: 0, mkdir: 2 });
  assert.match(logs[0]!, /^synced 4 files \(3 written, 1 removed, 2 folders made\), \d+ ms$/);
  // what the mirror believes is what the board holds: an edit is a patch, no tree
  const big = Array.from({ length: 300 }, (_, i) => `v${i} = ${i}\n`).join('');
  await put('main.py', big);
  await s.applyChange('main.py');
  await put('main.py', big.replace('v7 = 7', 'v7 = 8'));
  const edit = await s.applyChange('main.py');
  assert.equal(edit.counts.patched, 1);
  assert.equal(board.trees.length, 1);
  await s.close();
});

test('a board that takes no tree gets the same files one by one', async () => {
  board.takes = false;
  await put('a.py', 'a\n');
  await put('lib/b.py', 'b\n');
  const report = await syncer().applyBurst([]);
  assert.equal(board.trees.length, 1);
  assert.equal(board.count('writeFile'), 2);
  assert.equal(board.count('mkdir'), 1);
  assert.deepEqual(board.snapshot(), { 'a.py': 'a\n', 'lib/b.py': 'b\n' });
  assert.equal(report.counts.written, 2);
});

test('a sync with renames makes its folders first and still sends its writes as one tree', async () => {
  await put('a.py', 'a content');
  await put('keep.py', 'keep');
  const s = syncer();
  await s.applyBurst([]);
  await rename(join(folder, 'a.py'), join(folder, 'moved.py'));
  await put('new/one.py', 'one');
  await put('new/two.py', 'two');
  const report = await s.applyBurst(['a.py', 'moved.py', 'new']);
  assert.equal(report.counts.renamed, 1);
  assert.equal(report.counts.mkdir, 1);
  assert.deepEqual(board.trees.at(-1)!.folders, []);
  assert.deepEqual(board.snapshot(), {
    'keep.py': 'keep',
    'moved.py': 'a content',
    'new/one.py': 'one',
    'new/two.py': 'two',
  });
  await s.close();
});
