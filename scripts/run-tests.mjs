// scripts/run-tests.mjs: run every compiled test file with node's built-in runner.
// Node 20 takes no globs, so the files are listed here; extra arguments filter by path.
// The end-to-end suites run on every board kind of test/helpers/board-kinds.ts (MPY_TEST_KINDS
// picks some, MPY_TEST_BOARDS says where the real boards are); after the run one line says which
// kinds were skipped and why.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const filters = process.argv.slice(2);
const files = findTests('dist/test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
// The notes of writes under way (src/commands/pending.ts) go to a folder of this run's own,
// not the user's ~/.cache: a test that cuts a write must not make a later run sweep.
const pending = mkdtempSync(join(tmpdir(), 'mpy-test-pending-'));
const result = spawnSync(
  process.execPath,
  // One file at a time: the end-to-end files run real firmware (qemu, the unix port) and the
  // sim's worker at 115200 baud, and two of them at once on a 2-core machine starved boards and
  // reused each other's pty numbers often enough to fail one test in most runs. Twice as long
  // (about 18 minutes on 2 cores; CI allows 30), and a run means what it says.
  ['--test', '--test-concurrency=1', '--test-timeout=300000', ...files],
  { stdio: 'inherit', env: { MPY_PENDING_DIR: pending, ...process.env } },
);
rmSync(pending, { recursive: true, force: true });
try {
  const { skipSummary } = await import('../dist/test/helpers/board-kinds.js');
  console.log(`# ${skipSummary()}`);
} catch {
  // Not built with the test helpers: nothing to say about board kinds.
}
process.exit(result.status ?? 1);
