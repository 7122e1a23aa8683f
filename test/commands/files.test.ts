// test/commands/files.test.ts: the file commands through the CLI against a virtual board whose
// flash is a temp folder: what lands on the flash, what is printed, and the one-line errors.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliResult, runMpy } from './cli-run.js';

let root: string;
let flash: string;
let local: string;
const mpy = (...args: string[]): Promise<CliResult> => runMpy(flash, ...args);

before(() => {
  root = mkdtempSync(join(tmpdir(), 'mpy-cli-'));
  flash = join(root, 'flash');
  local = join(root, 'local');
  mkdirSync(flash);
  mkdirSync(join(local, 'proj', 'lib', 'deep'), { recursive: true });
  writeFileSync(join(local, 'main.py'), 'print("hello")\n');
  writeFileSync(join(local, 'proj', 'boot.py'), '# boot\n');
  writeFileSync(join(local, 'proj', 'lib', 'util.py'), 'X = 1\n');
  writeFileSync(join(local, 'proj', 'lib', 'deep', 'blob.bin'), randomBytes(3000));
});
after(() => rmSync(root, { recursive: true, force: true }));

function ok(result: CliResult): CliResult {
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
  return result;
}

test('cp uploads a file to the board root, ls and cat show it', async () => {
  ok(await mpy('cp', join(local, 'main.py'), ':'));
  assert.equal(readFileSync(join(flash, 'main.py'), 'utf8'), 'print("hello")\n');
  assert.equal(ok(await mpy('ls')).stdout.toString(), 'main.py\n');
  assert.equal(ok(await mpy('cat', ':main.py')).stdout.toString(), 'print("hello")\n');
  const json = JSON.parse(ok(await mpy('ls', '--json', ':')).stdout.toString());
  assert.deepEqual(
    json.map((e: { name: string; kind: string; size: number }) => [e.name, e.kind, e.size]),
    [['main.py', 'file', 15]],
  );
  assert.match(ok(await mpy('ls', '-l')).stdout.toString(), /^\s+15 main\.py\n$/);
  assert.equal(ok(await mpy('ls', ':main.py')).stdout.toString(), 'main.py\n');
  const missing = await mpy('ls', ':nope');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ls: :\/nope: no such file or folder/);
});

test('cp -r copies a tree both ways and skips unchanged files', async () => {
  ok(await mpy('cp', '-r', join(local, 'proj'), ':'));
  const blob = join('proj', 'lib', 'deep', 'blob.bin');
  assert.deepEqual(readFileSync(join(flash, blob)), readFileSync(join(local, blob)));
  const before = statSync(join(flash, blob)).mtimeMs;
  writeFileSync(join(local, 'proj', 'boot.py'), '# boot 2\n');
  ok(await mpy('cp', '-r', join(local, 'proj'), ':'));
  assert.equal(statSync(join(flash, blob)).mtimeMs, before, 'unchanged file was rewritten');
  assert.equal(readFileSync(join(flash, 'proj', 'boot.py'), 'utf8'), '# boot 2\n');
  // like cp -r: a new destination folder receives the contents, an existing one the folder
  const back = join(root, 'back');
  ok(await mpy('cp', '-r', ':proj', back));
  const inner = join('lib', 'deep', 'blob.bin');
  assert.deepEqual(readFileSync(join(back, inner)), readFileSync(join(local, blob)));
  ok(await mpy('cp', '-r', ':proj', back));
  assert.deepEqual(readFileSync(join(back, blob)), readFileSync(join(local, blob)));
  const tree = ok(await mpy('tree', ':proj')).stdout.toString();
  assert.equal(
    tree,
    ':/proj\n├── boot.py\n└── lib/\n    ├── deep/\n    │   └── blob.bin\n    └── util.py\n',
  );
});

test('several sources into a folder, download to a local folder, sha256sum', async () => {
  ok(await mpy('mkdir', '-p', ':a/b'));
  ok(await mpy('cp', join(local, 'main.py'), join(local, 'proj', 'boot.py'), ':a/b/'));
  assert.ok(statSync(join(flash, 'a', 'b', 'main.py')).isFile());
  assert.ok(statSync(join(flash, 'a', 'b', 'boot.py')).isFile());
  const out = join(root, 'out');
  mkdirSync(out);
  ok(await mpy('cp', ':a/b/main.py', out));
  assert.equal(readFileSync(join(out, 'main.py'), 'utf8'), 'print("hello")\n');
  const sum = ok(await mpy('sha256sum', ':a/b/main.py')).stdout.toString();
  assert.match(sum, /^[0-9a-f]{64} {2}:\/a\/b\/main\.py\n$/);
});

test('rm, rmdir, mv, touch, mkdir and df change the flash as asked', async () => {
  ok(await mpy('mkdir', ':m'));
  ok(await mpy('touch', ':m/t.txt'));
  assert.equal(readFileSync(join(flash, 'm', 't.txt'), 'utf8'), '');
  ok(await mpy('mv', ':m/t.txt', ':m/u.txt'));
  assert.ok(statSync(join(flash, 'm', 'u.txt')).isFile());
  ok(await mpy('mkdir', ':n'));
  ok(await mpy('mv', ':m/u.txt', ':n'));
  assert.ok(statSync(join(flash, 'n', 'u.txt')).isFile());
  ok(await mpy('rm', ':n/u.txt'));
  ok(await mpy('rmdir', ':n'));
  ok(await mpy('rm', '-r', ':m'));
  assert.throws(() => statSync(join(flash, 'm')));
  assert.throws(() => statSync(join(flash, 'n')));
  const df = ok(await mpy('df')).stdout.toString();
  assert.match(df, /Size\s+Used\s+Avail\s+Use%/);
});

test('mistakes get one clear line and a usage exit code', async () => {
  const both = await mpy('cp', 'a.py', 'b.py');
  assert.equal(both.code, 64);
  assert.match(both.stderr, /prefix board paths with ':'/);
  assert.equal(both.stderr.trim().split('\n').length, 1);
  const missing = await mpy('cp', join(local, 'nope.py'), ':');
  assert.equal(missing.code, 64);
  assert.match(missing.stderr, /nope\.py: no such file or folder/);
  const folder = await mpy('cp', join(local, 'proj'), ':');
  assert.equal(folder.code, 64);
  assert.match(folder.stderr, /is a folder \(use -r/);
  const ontoFile = await mpy('cp', '-r', join(local, 'proj'), ':main.py');
  assert.equal(ontoFile.code, 64);
  assert.match(ontoFile.stderr, /:\/main\.py is a file, not a folder/);
  const several = await mpy('cp', join(local, 'main.py'), join(local, 'main.py'), ':main.py');
  assert.equal(several.code, 64);
  assert.match(several.stderr, /must be a folder for several sources/);
  const catFolder = await mpy('cat', ':proj');
  assert.notEqual(catFolder.code, 0);
  assert.match(catFolder.stderr, /:\/proj is a folder/);
  const rmMissing = await mpy('rm', ':nope.py');
  assert.equal(rmMissing.code, 1);
  assert.match(rmMissing.stderr, /:\/nope\.py: no such file or folder/);
  const boardMissing = await mpy('cp', ':nope.py', join(root, 'x'));
  assert.equal(boardMissing.code, 64);
  assert.match(boardMissing.stderr, /:\/nope\.py: no such file or folder/);
});

test('commands chain with + over one connection', async () => {
  const result = ok(
    await mpy('cp', join(local, 'main.py'), ':chained.py', '+', 'cat', ':chained.py'),
  );
  assert.equal(result.stdout.toString(), 'print("hello")\n');
});
