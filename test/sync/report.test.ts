// test/sync/report.test.ts: the one log line per sync.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSync, type SyncReport } from '../../src/sync/report.js';

function report(counts: Partial<SyncReport['counts']>, wireBytes?: number): SyncReport {
  return {
    verified: false,
    actions: [],
    counts: { patched: 0, written: 0, removed: 0, renamed: 0, mkdir: 0, ...counts },
    wireBytes,
    ms: 63,
  };
}

test('the sync line names what happened, the bytes on the wire and the time', () => {
  assert.equal(
    describeSync(report({ patched: 1, written: 1 }, 184)),
    'synced 2 files (1 patched, 1 written), 184 B on the wire, 63 ms',
  );
  assert.equal(
    describeSync(report({ removed: 1, mkdir: 2 })),
    'synced 1 file (1 removed, 2 folders made), 63 ms',
  );
  assert.equal(describeSync(report({}, 40)), 'board up to date, 40 B on the wire, 63 ms');
});
