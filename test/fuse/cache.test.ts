// test/fuse/cache.test.ts: the mount's pure parts: the listing/content cache follows our own
// changes without asking the board, the queue never overlaps jobs, truncations wait for an open.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FsCache } from '../../src/fuse/cache.js';
import { BoardQueue } from '../../src/fuse/queue.js';
import { PendingTruncations } from '../../src/fuse/truncations.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('FsCache', () => {
  it('answers lookups from the parent listing: entry, known missing, or unknown', () => {
    const cache = new FsCache();
    assert.deepEqual(cache.lookup('/'), { kind: 'dir', size: 0 });
    assert.equal(cache.lookup('/a.py'), undefined);
    cache.setListing('/', [
      { name: 'a.py', kind: 'file', size: 3 },
      { name: 'lib', kind: 'dir', size: 0 },
    ]);
    assert.equal(cache.lookup('/a.py')?.size, 3);
    assert.equal(cache.lookup('/lib')?.kind, 'dir');
    assert.equal(cache.lookup('/nope'), null);
    assert.equal(cache.lookup('/lib/x.py'), undefined);
  });

  it('a new folder is known empty, so lookups inside it need no listing', () => {
    const cache = new FsCache();
    cache.setListing('/', []);
    cache.noteDir('/new');
    assert.equal(cache.lookup('/new')?.kind, 'dir');
    assert.equal(cache.lookup('/new/file'), null);
  });

  it('setContent updates the size in the listing; noteRemoved drops a whole tree', () => {
    const cache = new FsCache();
    cache.setListing('/', [{ name: 'lib', kind: 'dir', size: 0 }]);
    cache.setListing('/lib', [{ name: 'x.py', kind: 'file', size: 1 }]);
    cache.setContent('/lib/x.py', bytes('hello'));
    assert.equal(cache.lookup('/lib/x.py')?.size, 5);
    cache.noteRemoved('/lib');
    assert.equal(cache.lookup('/lib'), null);
    assert.equal(cache.listing('/lib'), undefined);
    assert.equal(cache.content('/lib/x.py'), undefined);
  });

  it('noteRenamed moves entries, listings and contents, replacing the target', () => {
    const cache = new FsCache();
    cache.setListing('/', [
      { name: 'src', kind: 'dir', size: 0 },
      { name: 'old.py', kind: 'file', size: 9 },
    ]);
    cache.setListing('/src', [{ name: 'a.py', kind: 'file', size: 2 }]);
    cache.setContent('/src/a.py', bytes('hi'));
    cache.noteRenamed('/src', '/dst');
    assert.equal(cache.lookup('/src'), null);
    assert.equal(cache.lookup('/dst/a.py')?.size, 2);
    assert.deepEqual(cache.content('/dst/a.py'), bytes('hi'));
    cache.noteFile('/new.py', 0);
    cache.setContent('/new.py', bytes('new'));
    cache.noteRenamed('/new.py', '/old.py');
    assert.equal(cache.lookup('/new.py'), null);
    assert.equal(cache.lookup('/old.py')?.size, 3);
    assert.deepEqual(cache.content('/old.py'), bytes('new'));
  });

  it('evicts the oldest contents beyond its byte limit, never the newest', () => {
    const cache = new FsCache(10);
    cache.setContent('/a', bytes('123456'));
    cache.setContent('/b', bytes('123456'));
    assert.equal(cache.content('/a'), undefined);
    assert.deepEqual(cache.content('/b'), bytes('123456'));
    cache.setContent('/huge', bytes('x'.repeat(50)));
    assert.equal(cache.content('/b'), undefined);
    assert.equal(cache.content('/huge')?.length, 50);
  });
});

describe('BoardQueue', () => {
  it('runs jobs one at a time in order, and survives a failed job', async () => {
    const queue = new BoardQueue();
    const log: string[] = [];
    let running = 0;
    const job =
      (name: string, fail = false) =>
      async () => {
        running++;
        assert.equal(running, 1, 'jobs overlapped');
        await new Promise<void>((done) => setImmediate(done));
        log.push(name);
        running--;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run(job('a')),
      queue.run(job('b', true)),
      queue.run(job('c')),
    ]);
    assert.deepEqual(log, ['a', 'b', 'c']);
    assert.equal(results[1].status, 'rejected');
    assert.deepEqual(results[2], { status: 'fulfilled', value: 'c' });
    await queue.idle();
    assert.equal(queue.size, 0);
  });
});

describe('PendingTruncations', () => {
  it('an open claims the truncation: nothing is written on its own', async () => {
    const written: string[] = [];
    const pending = new PendingTruncations(async (path) => void written.push(path), 1);
    pending.add('/a.py', bytes(''));
    assert.deepEqual(pending.take('/a.py'), bytes(''));
    assert.equal(pending.take('/a.py'), undefined);
    await pending.settle('/');
    assert.deepEqual(written, []);
  });

  it('unclaimed truncations are written by their timer, or at once by settle', async () => {
    let timerWrite: (path: string) => void = () => {};
    const byTimer = new Promise<string>((done) => {
      timerWrite = done;
    });
    const timed = new PendingTruncations(async (path) => timerWrite(path), 1);
    timed.add('/t.py', bytes('x'));
    assert.equal(await byTimer, '/t.py');

    const written: [string, string][] = [];
    const settled = new PendingTruncations(
      async (path, data) => void written.push([path, new TextDecoder().decode(data)]),
      60_000,
    );
    settled.add('/lib/a.py', bytes('a'));
    settled.add('/other.py', bytes('o'));
    await settled.settle('/lib');
    assert.deepEqual(written, [['/lib/a.py', 'a']]);
    await settled.settle('/');
    assert.deepEqual(written, [
      ['/lib/a.py', 'a'],
      ['/other.py', 'o'],
    ]);
  });
});
