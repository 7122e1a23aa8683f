// test/sync/watcher.test.ts: the debouncer's burst rules on mocked timers, and the folder watcher
// turning real file events (including an editor's write-temp-then-rename) into bursts.
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { Debouncer, FolderWatcher } from '../../src/sync/watcher.js';

test('events closer than the quiet time make one burst; duplicates merged', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const bursts: string[][] = [];
    const d = new Debouncer<string>((items) => bursts.push(items), 50, 1000);
    d.add('a');
    mock.timers.tick(30);
    d.add('b');
    mock.timers.tick(30);
    d.add('a');
    mock.timers.tick(49);
    assert.deepEqual(bursts, []);
    mock.timers.tick(1);
    assert.deepEqual(bursts, [['a', 'b']]);
    d.add('c');
    mock.timers.tick(50);
    assert.deepEqual(bursts, [['a', 'b'], ['c']]);
  } finally {
    mock.timers.reset();
  }
});

test('a stream that never pauses is still handed over after the maximum wait', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const bursts: number[][] = [];
    const d = new Debouncer<number>((items) => bursts.push(items), 50, 200);
    for (let i = 0; i < 10; i++) {
      d.add(i);
      mock.timers.tick(40);
    }
    assert.equal(bursts.length, 2);
    assert.deepEqual(bursts[0], [0, 1, 2, 3, 4]);
    d.cancel();
    mock.timers.tick(1000);
    assert.equal(bursts.length, 2, 'cancel drops pending items');
  } finally {
    mock.timers.reset();
  }
});

test('the folder watcher reports an atomic save as a burst naming the real file, skips swap files', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'mpy-watch-'));
  await writeFile(join(folder, 'main.py'), 'v1');
  const bursts: string[][] = [];
  let notify: () => void = () => {};
  const watcher = new FolderWatcher(folder, {
    onBurst: (paths) => {
      bursts.push(paths);
      if (paths.includes('main.py')) notify();
    },
    skip: (path) => path.endsWith('.swp'),
    quietMs: 100,
  });
  await watcher.start();
  try {
    const got = new Promise<void>((resolve) => {
      notify = resolve;
    });
    await writeFile(join(folder, '.main.py.swp'), 'swap');
    await writeFile(join(folder, 'main.py.tmp123'), 'v2');
    await rename(join(folder, 'main.py.tmp123'), join(folder, 'main.py'));
    await got;
    // Normally one burst; a loaded machine may split it, which the syncer's full compare absorbs.
    assert.ok(bursts.length <= 2, JSON.stringify(bursts));
    assert.ok(!bursts.flat().includes('.main.py.swp'), JSON.stringify(bursts));
  } finally {
    await watcher.close();
    await rm(folder, { recursive: true, force: true });
  }
});
