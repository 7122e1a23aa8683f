// test/sync/plan.test.ts: the pure planner, snapshot against snapshot, without a board.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planSync, type SyncAction, type TreeSnapshot } from '../../src/sync/plan.js';

/** A snapshot from `{ path: content }`; a key ending in `/` is a folder. Digest = content. */
function tree(spec: Record<string, string>): TreeSnapshot {
  const snap: TreeSnapshot = { files: new Map(), dirs: new Set() };
  for (const [path, content] of Object.entries(spec)) {
    if (path.endsWith('/')) snap.dirs.add(path.slice(0, -1));
    else snap.files.set(path, { size: content.length, digest: `d:${content}` });
  }
  return snap;
}

const mirror = { delete: true };

test('identical trees need nothing', () => {
  const t = tree({ 'main.py': 'a', 'lib/x.py': 'b' });
  assert.deepEqual(planSync(t, tree({ 'main.py': 'a', 'lib/x.py': 'b' }), mirror), []);
});

test('new and changed files are written, folders made parents first', () => {
  const plan = planSync(
    tree({ 'main.py': 'new', 'a/b/c.py': 'c', 'empty/': '' }),
    tree({ 'main.py': 'old' }),
    mirror,
  );
  assert.deepEqual(plan, [
    { type: 'mkdir', path: 'a' },
    { type: 'mkdir', path: 'a/b' },
    { type: 'mkdir', path: 'empty' },
    { type: 'write', path: 'a/b/c.py' },
    { type: 'write', path: 'main.py' },
  ] satisfies SyncAction[]);
});

test('a change is a patch when the board holds the base the syncer has in memory', () => {
  const plan = planSync(
    tree({ 'a.py': 'v2', 'b.py': 'v2' }),
    tree({ 'a.py': 'v1', 'b.py': 'vX' }),
    {
      delete: true,
      cachedDigest: (p) => (p === 'a.py' || p === 'b.py' ? 'd:v1' : undefined),
    },
  );
  assert.deepEqual(plan, [
    { type: 'patch', path: 'a.py' },
    { type: 'write', path: 'b.py' },
  ]);
});

test('files and folders missing locally are removed, a folder in one operation', () => {
  const plan = planSync(
    tree({ 'main.py': 'm' }),
    tree({ 'main.py': 'm', 'old.py': 'o', 'lib/a.py': 'a', 'lib/sub/b.py': 'b', 'e/': '' }),
    mirror,
  );
  assert.deepEqual(plan, [
    { type: 'removeTree', path: 'e' },
    { type: 'removeTree', path: 'lib' },
    { type: 'remove', path: 'old.py' },
  ]);
});

test('--no-delete keeps board files and does not rename', () => {
  const plan = planSync(tree({ 'new.py': 'x' }), tree({ 'old.py': 'x' }), { delete: false });
  assert.deepEqual(plan, [{ type: 'write', path: 'new.py' }]);
});

test('a file that moved keeps its content: rename, preferring the same base name', () => {
  const plan = planSync(
    tree({ 'lib/util.py': 'u', 'copy.py': 'same', 'moved/same.py': 'same' }),
    tree({ 'util.py': 'u', 'same.py': 'same', 'other.py': 'same' }),
    mirror,
  );
  assert.deepEqual(plan, [
    { type: 'mkdir', path: 'lib' },
    { type: 'mkdir', path: 'moved' },
    { type: 'rename', from: 'util.py', to: 'lib/util.py', kind: 'file' },
    { type: 'rename', from: 'same.py', to: 'moved/same.py', kind: 'file' },
    { type: 'rename', from: 'other.py', to: 'copy.py', kind: 'file' },
  ]);
});

test('a renamed folder is moved in one operation', () => {
  const plan = planSync(
    tree({ 'drivers/a.py': 'a', 'drivers/sub/b.py': 'b', 'main.py': 'm' }),
    tree({ 'lib/a.py': 'a', 'lib/sub/b.py': 'b', 'main.py': 'm' }),
    mirror,
  );
  assert.deepEqual(plan, [{ type: 'rename', from: 'lib', to: 'drivers', kind: 'dir' }]);
});

test('a renamed folder with an edited file: moved, then the file updated', () => {
  const plan = planSync(
    tree({ 'drivers/a.py': 'a2', 'drivers/b.py': 'b' }),
    tree({ 'lib/a.py': 'a', 'lib/b.py': 'b' }),
    mirror,
  );
  assert.deepEqual(plan, [
    { type: 'mkdir', path: 'drivers' },
    { type: 'rename', from: 'lib/b.py', to: 'drivers/b.py', kind: 'file' },
    { type: 'removeTree', path: 'lib' },
    { type: 'write', path: 'drivers/a.py' },
  ]);
});

test('kept (ignored) board paths are never touched, nor the folders holding them', () => {
  const keep = (p: string) => p === 'boot.py' || p === 'data' || p.startsWith('data/');
  const plan = planSync(
    tree({ 'main.py': 'm' }),
    tree({ 'boot.py': 'b', 'data/log.txt': 'l', 'lib/x.py': 'x', 'lib/keep.txt': 'k' }),
    { delete: true, keep: (p) => keep(p) || p === 'lib/keep.txt' },
  );
  assert.deepEqual(plan, [
    { type: 'remove', path: 'lib/x.py' },
    { type: 'write', path: 'main.py' },
  ]);
});

test('a file replaced by a folder of the same name, and the reverse', () => {
  assert.deepEqual(planSync(tree({ 'x/a.py': 'a' }), tree({ x: 'file' }), mirror), [
    { type: 'remove', path: 'x' },
    { type: 'mkdir', path: 'x' },
    { type: 'write', path: 'x/a.py' },
  ]);
  assert.deepEqual(planSync(tree({ x: 'file' }), tree({ 'x/a.py': 'a' }), mirror), [
    { type: 'removeTree', path: 'x' },
    { type: 'write', path: 'x' },
  ]);
});

test("a module's stale other form goes even with --no-delete: x.py beside a new x.mpy", () => {
  const local = tree({ 'lib.mpy': 'compiled', 'main.py': 'm', 'pkg/a.mpy': 'a' });
  const board = tree({ 'lib.py': 'old', 'main.py': 'm', 'pkg/a.py': 'old', 'other.py': 'o' });
  assert.deepEqual(planSync(local, board, { delete: false }), [
    { type: 'remove', path: 'lib.py' },
    { type: 'remove', path: 'pkg/a.py' },
    { type: 'write', path: 'lib.mpy' },
    { type: 'write', path: 'pkg/a.mpy' },
  ] satisfies SyncAction[]);
});

test('the other way round: sending x.py removes a stale x.mpy; an ignored one stays', () => {
  const local = tree({ 'lib.py': 'src', 'keep.py': 'k' });
  const board = tree({ 'lib.mpy': 'old', 'keep.mpy': 'precompiled' });
  assert.deepEqual(planSync(local, board, { delete: false, keep: (path) => path === 'keep.mpy' }), [
    { type: 'remove', path: 'lib.mpy' },
    { type: 'write', path: 'keep.py' },
    { type: 'write', path: 'lib.py' },
  ] satisfies SyncAction[]);
});

test('both forms in the folder are both kept on the board; a delete is planned once', () => {
  const both = tree({ 'x.py': 'a', 'x.mpy': 'b' });
  assert.deepEqual(planSync(both, tree({ 'x.py': 'a', 'x.mpy': 'b' }), { delete: false }), []);
  assert.deepEqual(planSync(tree({ 'x.mpy': 'new' }), tree({ 'x.py': 'old' }), mirror), [
    { type: 'remove', path: 'x.py' },
    { type: 'write', path: 'x.mpy' },
  ] satisfies SyncAction[]);
});

test('a delete rule removes and moves away only what it allows, folders only when all of it may go', () => {
  // The folder once held old.py, lib/ and moved.py (deleted or moved locally since); the board's
  // own files (wifi.json, lib/data.txt) were never in it.
  const allowed = new Set(['old.py', 'moved.py', 'lib', 'lib/a.py', 'gone', 'gone/b.py']);
  const plan = planSync(
    tree({ 'main.py': 'm', 'new/moved.py': 'mv' }),
    tree({
      'main.py': 'm',
      'old.py': 'o',
      'moved.py': 'mv',
      'wifi.json': 'w',
      'lib/a.py': 'a',
      'lib/data.txt': 'd',
      'gone/b.py': 'b',
    }),
    { delete: (path) => allowed.has(path) },
  );
  assert.deepEqual(plan, [
    { type: 'mkdir', path: 'new' },
    { type: 'rename', from: 'moved.py', to: 'new/moved.py', kind: 'file' },
    { type: 'removeTree', path: 'gone' },
    { type: 'remove', path: 'lib/a.py' },
    { type: 'remove', path: 'old.py' },
  ] satisfies SyncAction[]);
});

test('a board-only file with the content of a new file is not moved when it may not go', () => {
  const plan = planSync(tree({ 'b.py': 'x' }), tree({ 'a.py': 'x' }), { delete: () => false });
  assert.deepEqual(plan, [{ type: 'write', path: 'b.py' }]);
});
