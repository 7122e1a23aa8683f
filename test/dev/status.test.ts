// test/dev/status.test.ts: the one line `mpy dev` prints per sync.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDevSync } from '../../src/dev/status.js';
import type { SyncReport } from '../../src/sync/report.js';

const none = { patched: 0, written: 0, removed: 0, renamed: 0, mkdir: 0 };

test('names up to three files, counts more, and gives bytes and time', () => {
  const one: SyncReport = {
    verified: false,
    actions: [{ type: 'patch', path: 'main.py' }],
    counts: { ...none, patched: 1 },
    wireBytes: 212,
    ms: 48,
  };
  assert.equal(describeDevSync(one), 'synced main.py (1 patched, 212 B, 48 ms)');
  const many: SyncReport = {
    verified: true,
    actions: [
      { type: 'mkdir', path: 'lib' },
      { type: 'write', path: 'lib/a.py' },
      { type: 'write', path: 'lib/b.py' },
      { type: 'remove', path: 'old.py' },
      { type: 'rename', from: 'x.py', to: 'y.py', kind: 'file' },
    ],
    counts: { ...none, written: 2, removed: 1, renamed: 1, mkdir: 1 },
    wireBytes: 31_000,
    ms: 1200,
  };
  assert.equal(
    describeDevSync(many),
    'synced 4 files (2 written, 1 removed, 1 renamed, 1 folder made, 30.3 KB, 1200 ms)',
  );
  const renamed = { ...many, actions: many.actions.slice(4) };
  assert.match(describeDevSync(renamed), /^synced y\.py \(/);
});

test('an unchanged board says so; without a byte count the bytes are left out', () => {
  const report: SyncReport = {
    verified: true,
    actions: [],
    counts: none,
    wireBytes: undefined,
    ms: 310,
  };
  assert.equal(describeDevSync(report), 'board up to date (310 ms)');
});
