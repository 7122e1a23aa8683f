// test/commands/files.test.ts: the file commands through the CLI against a virtual board whose
// flash is a temp folder: what lands on the flash, what is printed (mpremote's lines), relative
// paths against the board's current folder, and the one-line errors worded as mpremote's.
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
  const main = join(local, 'main.py');
  assert.equal(ok(await mpy('cp', main, ':')).stdout.toString(), `cp ${main} :\n`);
  assert.equal(readFileSync(join(flash, 'main.py'), 'utf8'), 'print("hello")\n');
  assert.equal(ok(await mpy('ls')).stdout.toString(), 'ls :\n          15 main.py\n');
  assert.equal(ok(await mpy('cat', ':main.py')).stdout.toString(), 'print("hello")\n');
  assert.equal(
    ok(await mpy('cat', '-v', 'main.py')).stdout.toString(),
    'cat :main.py\nprint("hello")\n',
  );
  const json = JSON.parse(ok(await mpy('ls', '--json', ':')).stdout.toString());
  assert.deepEqual(
    json.map((e: { name: string; kind: string; size: number }) => [e.name, e.kind, e.size]),
    [['main.py', 'file', 15]],
  );
  assert.equal(
    ok(await mpy('ls', '--no-verbose', ':main.py')).stdout.toString(),
    '          15 main.py\n',
  );
  const again = ok(await mpy('cp', main, ':main.py'));
  assert.equal(again.stdout.toString(), `cp ${main} :main.py\nUp to date: main.py\n`);
  const missing = await mpy('ls', ':nope');
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'mpy: ls: nope: No such file or directory.\n');
});

test('cp -r copies a tree both ways and skips unchanged files', async () => {
  ok(await mpy('cp', '-r', join(local, 'proj'), ':'));
  const blob = join('proj', 'lib', 'deep', 'blob.bin');
  assert.deepEqual(readFileSync(join(flash, blob)), readFileSync(join(local, blob)));
  const before = statSync(join(flash, blob)).mtimeMs;
  writeFileSync(join(local, 'proj', 'boot.py'), '# boot 2\n');
  const again = ok(await mpy('cp', '-r', join(local, 'proj'), ':'));
  assert.equal(
    again.stdout.toString(),
    `cp ${join(local, 'proj')} :\nUp to date: ./proj/lib/deep/blob.bin\nUp to date: ./proj/lib/util.py\n`,
  );
  assert.equal(statSync(join(flash, blob)).mtimeMs, before, 'unchanged file was rewritten');
  assert.equal(readFileSync(join(flash, 'proj', 'boot.py'), 'utf8'), '# boot 2\n');
  // like cp -r: a new destination folder receives the contents, an existing one the folder
  const back = join(root, 'back');
  ok(await mpy('cp', '-r', ':proj', back));
  const inner = join('lib', 'deep', 'blob.bin');
  assert.deepEqual(readFileSync(join(back, inner)), readFileSync(join(local, blob)));
  ok(await mpy('cp', '-r', ':proj', `${back}/`));
  assert.deepEqual(readFileSync(join(back, blob)), readFileSync(join(local, blob)));
  const tree = ok(await mpy('tree', ':proj')).stdout.toString();
  assert.equal(
    tree,
    'tree :proj\n:proj\n├── boot.py\n└── lib\n    ├── deep\n    │   └── blob.bin\n    └── util.py\n',
  );
  const sizes = ok(await mpy('tree', '--no-verbose', '-h', 'proj/lib')).stdout.toString();
  assert.equal(sizes, ':proj/lib\n├── deep\n│   └── [  2.9K]  blob.bin\n└── [     6]  util.py\n');
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
  assert.match(sum, /^sha256sum :a\/b\/main\.py\n[0-9a-f]{64}\n$/);
  // both sides local: a plain copy, as mpremote makes it
  ok(await mpy('cp', join(local, 'main.py'), join(out, 'copy.py')));
  assert.equal(readFileSync(join(out, 'copy.py'), 'utf8'), 'print("hello")\n');
});

test('rm, rmdir, mv, touch, mkdir and df change the flash as asked', async () => {
  assert.equal(ok(await mpy('mkdir', ':m')).stdout.toString(), 'mkdir :m\n');
  assert.equal(ok(await mpy('touch', ':m/t.txt')).stdout.toString(), 'touch :m/t.txt\n');
  assert.equal(readFileSync(join(flash, 'm', 't.txt'), 'utf8'), '');
  ok(await mpy('mv', ':m/t.txt', ':m/u.txt'));
  assert.ok(statSync(join(flash, 'm', 'u.txt')).isFile());
  ok(await mpy('mkdir', ':n'));
  ok(await mpy('mv', ':m/u.txt', ':n'));
  assert.ok(statSync(join(flash, 'n', 'u.txt')).isFile());
  assert.equal(ok(await mpy('rm', ':n/u.txt')).stdout.toString(), 'rm :n/u.txt\n');
  assert.equal(ok(await mpy('rmdir', 'n')).stdout.toString(), 'rmdir :n\n');
  ok(await mpy('touch', ':m/v.txt'));
  const removed = ok(await mpy('rm', '-r', '-v', ':m')).stdout.toString();
  assert.equal(removed, "rm :m\nremoved: 'm/v.txt'\nremoved directory: 'm'\n");
  assert.throws(() => statSync(join(flash, 'm')));
  assert.throws(() => statSync(join(flash, 'n')));
  const df = ok(await mpy('df')).stdout.toString();
  assert.match(df, /^mount \tsize \tused \tavail \tuse%\n\t\d+\t\d+\t\d+\t\d+\n/);
});

test('relative board paths start at the board current folder', async () => {
  ok(await mpy('mkdir', ':w'));
  const result = ok(
    await mpy(
      'exec',
      "import os; os.chdir('/w')",
      'cp',
      join(local, 'main.py'),
      ':',
      '+',
      'touch',
      'x.py',
      ':/top.py',
      '+',
      'ls',
    ),
  );
  assert.ok(statSync(join(flash, 'w', 'main.py')).isFile());
  assert.ok(statSync(join(flash, 'w', 'x.py')).isFile());
  assert.ok(statSync(join(flash, 'top.py')).isFile());
  assert.match(result.stdout.toString(), /ls :\n {10}15 main\.py\n {11}0 x\.py\n$/);
});

test('mistakes get one line worded as mpremote words them', async () => {
  const missing = await mpy('cp', join(local, 'nope.py'), ':');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^mpy: cp: .*nope\.py: No such file or directory\.\n$/);
  const folder = await mpy('cp', join(local, 'proj'), ':');
  assert.equal(folder.code, 1);
  assert.equal(folder.stderr, 'mpy: cp: -r not specified; omitting directory\n');
  const ontoFile = await mpy('cp', join(local, 'main.py'), ':main.py/');
  assert.equal(ontoFile.stderr, 'mpy: cp: destination is not a directory\n');
  const several = await mpy('cp', join(local, 'main.py'), join(local, 'main.py'), ':main.py');
  assert.equal(several.stderr, 'mpy: cp: destination is not a directory\n');
  const catFolder = await mpy('cat', ':proj');
  assert.equal(catFolder.code, 1);
  assert.equal(catFolder.stderr, 'mpy: cat: proj: Is a directory.\n');
  const rmMissing = await mpy('rm', ':nope.py');
  assert.equal(rmMissing.code, 1);
  assert.equal(rmMissing.stderr, 'mpy: rm: nope.py: No such file or directory.\n');
  const boardMissing = await mpy('cp', ':nope.py', join(root, 'x'));
  assert.equal(boardMissing.stderr, 'mpy: cp: nope.py: No such file or directory.\n');
  const exists = await mpy('mkdir', ':proj');
  assert.equal(exists.stderr, 'mpy: mkdir: proj: File exists.\n');
  const notFolder = await mpy('tree', ':main.py');
  assert.deepEqual(
    [notFolder.code, notFolder.stderr],
    [1, "mpy: tree: 'main.py' is not a directory\n"],
  );
});

test('commands chain with + and, as in mpremote, without it', async () => {
  const main = join(local, 'main.py');
  const result = ok(await mpy('cp', main, ':chained.py', '+', 'cat', ':chained.py'));
  assert.equal(result.stdout.toString(), `cp ${main} :chained.py\nprint("hello")\n`);
  const bare = ok(await mpy('fs', 'rm', ':chained.py', '+', 'exec', 'x = 2', 'eval', 'x * 3'));
  assert.equal(bare.stdout.toString(), 'rm :chained.py\n6\r\n');
});
