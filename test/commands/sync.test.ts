// test/commands/sync.test.ts: `mpy sync DIR [:DEST]` through the CLI against a virtual board whose
// flash is a temp folder: the plan lines, --dry-run changing nothing, board extras kept unless
// --delete (and never outside DEST), the summary line, --json, and the exit code when the board
// cannot hold the folder.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { type CliResult, runMpy } from './cli-run.js';

let root: string;
let flash: string;
let project: string;
const mpy = (...args: string[]): Promise<CliResult> => runMpy(flash, ...args);

/** Every file below `dir` as relative path -> sha256, so "nothing changed" is exact. */
function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

function put(dir: string, path: string, content: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), content);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mpy-sync-cli-'));
  flash = join(root, 'flash');
  project = join(root, 'project');
  mkdirSync(flash);
  put(project, 'main.py', 'print("v2")\n');
  put(project, 'lib/a.py', 'A = 1\n');
  put(project, 'notes.txt', 'not for the board\n');
  put(project, '.gitignore', 'notes.txt\n');
  put(flash, 'main.py', 'print("v1")\n');
  put(flash, 'old.py', 'old\n');
  put(flash, 'wifi.json', '{}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('--dry-run prints the plan and the summary, and changes nothing', async () => {
  const before = digests(flash);
  const result = await mpy('sync', '-n', '--delete', project);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(
    result.stdout.toString(),
    [
      '+ lib/',
      '- old.py',
      '- wifi.json',
      '+ .gitignore',
      '+ lib/a.py',
      '~ main.py',
      'sync: dry run, nothing changed: 3 to send (28 B), 0 skipped, 2 to delete',
      '',
    ].join('\n'),
  );
  assert.deepEqual(digests(flash), before);
});

test('board files not in DIR stay without --delete; a second sync skips everything', async () => {
  const first = await mpy('sync', project, ':');
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stdout.toString(),
    /\nsync: 3 sent \(28 B\), 0 skipped, 0 deleted, \d+ B on the wire, \d+(\.\d)? m?s\n$/,
  );
  assert.deepEqual(Object.keys(digests(flash)).sort(), [
    '.gitignore',
    'lib/a.py',
    'main.py',
    'old.py',
    'wifi.json',
  ]);
  assert.equal(readFileSync(join(flash, 'main.py'), 'utf8'), 'print("v2")\n');
  const again = await mpy('sync', '--no-verbose', project);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout.toString(), /^sync: 0 sent \(0 B\), 3 skipped, 0 deleted, /);
});

test('--delete removes extras under DEST only; ignored board files stay', async () => {
  put(flash, 'app/stale.py', 'stale\n');
  put(flash, 'app/notes.txt', 'the board keeps these\n');
  const result = await mpy('sync', '--delete', project, ':/app');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout.toString(), /^- stale\.py$/m);
  assert.deepEqual(Object.keys(digests(flash)).sort(), [
    'app/.gitignore',
    'app/lib/a.py',
    'app/main.py',
    'app/notes.txt',
    'main.py',
    'old.py',
    'wifi.json',
  ]);
});

test('--json gives the plan and the result', async () => {
  const result = await mpy('sync', '--json', '--delete', '--to', ':/', project);
  assert.equal(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout.toString());
  assert.equal(json.target, '/');
  assert.equal(json.dryRun, false);
  assert.deepEqual(json.plan[1], { op: '-', path: 'old.py', dir: false });
  assert.equal(json.result.ok, true);
  assert.equal(json.result.sent, 3);
  assert.equal(json.result.deleted, 2);
  assert.deepEqual(json.result.missing, []);
  assert.deepEqual(json.result.extra, []);
  assert.equal(typeof json.result.wireBytes, 'number');
  const dry = JSON.parse((await mpy('sync', '-n', '--json', project)).stdout.toString());
  assert.deepEqual(dry.plan, []);
  assert.equal(dry.counts.skipped, 3);
});

test('a board without folders cannot hold lib/: the rest goes, the exit code says so', async () => {
  const legacy = join(root, 'legacy');
  mkdirSync(legacy);
  const out: CliResult = await runMpy(`${legacy}?profile=legacy`, 'sync', project);
  assert.equal(out.code, 1, out.stderr);
  assert.match(out.stderr, /sync: the board has no folders: skipping lib/);
  assert.match(out.stderr, /mpy: sync: after the sync the board has no folders for lib\/a\.py\n/);
  assert.equal(readFileSync(join(legacy, 'main.py'), 'utf8'), 'print("v2")\n');
});

test('DEST and --to together, or a DIR that is not a folder, are usage errors', async () => {
  assert.equal((await mpy('sync', project, ':/a', '--to', ':/b')).code, 64);
  const missing = await mpy('sync', join(root, 'nope'));
  assert.equal(missing.code, 64);
  assert.match(missing.stderr, /mpy: sync: .*nope is not a folder/);
});
