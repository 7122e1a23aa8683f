// test/commands/pending.test.ts: the computer's note of writes under way (src/commands/
// pending.ts): kept while a write runs, gone when the last one ends, read back by the next
// process, and a note cut short still names folders to sweep.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sweepCode } from '../../src/board/once.js';
import { PendingWrites, pendingDir } from '../../src/commands/pending.js';

const dir = mkdtempSync(join(tmpdir(), 'mpy-pending-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a note lives while a write runs and goes when the last one ends', () => {
  const notes = join(dir, 'a');
  const journal = new PendingWrites('/dev/ttyUSB0', notes);
  assert.deepEqual(journal.left(), []);
  journal.begin(['/lib/']);
  journal.begin(['/lib/', '/']); // a tree holds /lib/ while one of its files goes
  const next = new PendingWrites('/dev/ttyUSB0', notes); // what a later process reads
  assert.deepEqual(next.left().sort(), ['/', '/lib/']);
  assert.deepEqual(new PendingWrites('/dev/ttyUSB1', notes).left(), [], 'one note per device');
  journal.end(['/lib/', '/']);
  assert.deepEqual(next.left(), ['/lib/']);
  journal.end(['/lib/']);
  assert.deepEqual(next.left(), []);
  assert.deepEqual(readdirSync(notes), [], 'no file is left');
});

test('a device name of any shape is one file name', () => {
  const notes = join(dir, 'b');
  const journal = new PendingWrites('exec:qemu-system-arm -M microbit /x/y', notes);
  journal.begin(['']);
  assert.equal(readdirSync(notes).length, 1);
  assert.ok(existsSync(join(notes, readdirSync(notes)[0]!)));
  journal.clear();
  assert.deepEqual(readdirSync(notes), []);
});

test('a note cut short by a crash still sweeps the current folder and the root', () => {
  const notes = join(dir, 'c');
  const journal = new PendingWrites('sim', notes);
  journal.begin(['/a/']);
  writeFileSync(join(notes, 'sim'), '["/a/');
  assert.deepEqual(journal.left(), ['', '/']);
});

test('notes live in the cache folder unless MPY_PENDING_DIR says', () => {
  assert.equal(pendingDir({ XDG_CACHE_HOME: '/c' }), join('/c', 'mpy', 'pending'));
  assert.equal(pendingDir({ MPY_PENDING_DIR: '/p', XDG_CACHE_HOME: '/c' }), '/p');
});

test('the sweep names each folder as a literal and cleans up after itself', () => {
  const code = sweepCode(["/it's/", '']);
  assert.match(code, /for p in \['\/it\\'s\/',''\]:/);
  assert.match(code, /finally:\n del _c,_s\n$/);
});
