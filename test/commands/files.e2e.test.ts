// test/commands/files.e2e.test.ts: the file commands as a user types them (bin/mpy.js -d PTY, one
// process a command) on every board kind behind a pty: what mpy itself then lists and prints,
// and the one-line errors. (test/commands/files.test.ts checks the sim's flash folder itself.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  boardFacts,
  kindSkip,
  kindsWhere,
  openTestBoard,
  type TestBoard,
} from '../helpers/boards.js';
import { type CliResult, runBin } from './cli-run.js';

function ok(result: CliResult): string {
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
  return result.stdout.toString();
}

/** One line on stderr, no stack, the given exit code. */
function oneLine(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, result.stderr);
  assert.match(result.stderr.trimEnd(), pattern);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
}

// In process there is no port to name: the kinds behind a pty.
for (const kind of kindsWhere((_, k) => k !== 'inproc')) {
  const facts = boardFacts(kind);
  describe(`file commands on ${kind} (mpy -d PTY)`, { skip: kindSkip(kind) }, () => {
    let t: TestBoard;
    let root: string;
    let local: string;
    const mpy = (...args: string[]) => runBin('-d', t.ptyPath!, ...args);

    before(async () => {
      t = await openTestBoard(kind);
      await t.repl.close(); // the port is the CLI's now
      root = mkdtempSync(join(tmpdir(), 'mpy-cli-e2e-'));
      local = join(root, 'local');
      mkdirSync(join(local, 'proj', 'lib'), { recursive: true });
      writeFileSync(join(local, 'main.py'), 'print("hello")\n');
      writeFileSync(join(local, 'proj', 'boot.py'), '# boot\n');
      writeFileSync(join(local, 'proj', 'lib', 'blob.bin'), randomBytes(3000));
    });
    after(async () => {
      await t?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    test('cp up, ls, cat, cp down, and a missing file is one line', async () => {
      assert.equal(
        ok(await mpy('cp', join(local, 'main.py'), ':')),
        `cp ${join(local, 'main.py')} :\n`,
      );
      assert.equal(ok(await mpy('ls')), 'ls :\n          15 main.py\n');
      assert.equal(ok(await mpy('cat', ':main.py')), 'print("hello")\n');
      const out = join(root, 'out.py');
      ok(await mpy('cp', ':main.py', out));
      assert.equal(readFileSync(out, 'utf8'), 'print("hello")\n');
      oneLine(await mpy('ls', ':nope'), 1, /^mpy: ls: nope: No such file or directory\.$/);
      oneLine(await mpy('cat', ':nope.py'), 1, /^mpy: cat: nope\.py: No such file or directory\.$/);
    });

    test('touch, mv, rm, df and + chains over one connection', async () => {
      ok(await mpy('touch', ':t.txt', '+', 'mv', ':t.txt', ':u.txt'));
      assert.equal(ok(await mpy('ls', ':u.txt')), 'ls :u.txt\n           0 u.txt\n');
      assert.equal(ok(await mpy('rm', ':u.txt')), 'rm :u.txt\n');
      oneLine(await mpy('rm', ':u.txt'), 1, /^mpy: rm: u\.txt: No such file or directory\.$/);
      // mpremote's table; a board without os.statvfs (micro:bit) knows only the bytes used
      const df = ok(await mpy('df'));
      assert.match(df, /^mount \tsize \tused \tavail \tuse%\n/);
      assert.match(
        df.split('\n')[1]!,
        facts.flat && !facts.osStat ? /^\t-\t\d+\t-\t-$/ : /^\t\d+\t\d+\t\d+\t\d+$/,
      );
      assert.equal(
        ok(await mpy('cp', join(local, 'main.py'), ':c.py', '+', 'cat', ':c.py')),
        `cp ${join(local, 'main.py')} :c.py\nprint("hello")\n`,
      );
      ok(await mpy('rm', ':c.py'));
    });

    test("board paths as mpremote's: relative from the board's current folder, `:` is that folder", async () => {
      const main = join(local, 'main.py');
      ok(await mpy('cp', main, ':/abs.py'));
      assert.equal(ok(await mpy('cat', 'abs.py')), 'print("hello")\n');
      assert.match(ok(await mpy('ls', ':')), /^ls :\n(.*\n)*\s+15 abs\.py\n/);
      ok(await mpy('rm', ':abs.py'));
      assert.doesNotMatch(ok(await mpy('ls', ':/')), /abs\.py/);
      if (facts.flat) return; // one folder: nowhere else to be
      ok(await mpy('mkdir', ':/d', '+', 'exec', "import os\nos.chdir('/d')"));
      try {
        assert.equal(ok(await mpy('cp', main, ':')), `cp ${main} :\n`);
        assert.equal(ok(await mpy('ls', ':/d')), 'ls :/d\n          15 main.py\n');
        assert.equal(ok(await mpy('cat', '../d/main.py')), 'print("hello")\n');
      } finally {
        ok(await mpy('exec', "import os\nos.chdir('/')", '+', 'rm', '-r', ':d'));
      }
    });

    if (facts.flat) {
      test('a flat board refuses folders with one line', async () => {
        const result = await mpy('mkdir', ':lib');
        assert.notEqual(result.code, 0);
        assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
        assert.match(result.stderr.trimEnd(), /^mpy: mkdir: lib: Operation not supported\.$/);
      });
    } else {
      test('cp -r a tree up and back, tree, mkdir -p, rmdir, rm -r', async () => {
        ok(await mpy('cp', '-r', join(local, 'proj'), ':'));
        assert.equal(
          ok(await mpy('tree', ':proj')),
          'tree :proj\n:proj\n├── boot.py\n└── lib\n    └── blob.bin\n',
        );
        const back = join(root, 'back');
        ok(await mpy('cp', '-r', ':proj', back));
        assert.deepEqual(
          readFileSync(join(back, 'lib', 'blob.bin')),
          readFileSync(join(local, 'proj', 'lib', 'blob.bin')),
        );
        ok(await mpy('mkdir', '-p', ':a/b', '+', 'rmdir', ':a/b', '+', 'rmdir', ':a'));
        ok(await mpy('rm', '-r', ':proj'));
        assert.equal(ok(await mpy('ls')), 'ls :\n          15 main.py\n');
      });
    }

    test("mpremote's mount: a computer folder on the board at /remote for what follows", async () => {
      const shared = join(root, 'shared');
      mkdirSync(join(shared, 'pkg'), { recursive: true });
      writeFileSync(join(shared, 'pkg', '__init__.py'), 'def hi():\n    return "hi ünï"\n');
      writeFileSync(join(shared, "it's.txt"), 'quoted\n');
      const code = [
        'import os, pkg',
        'print(os.getcwd(), sorted(os.listdir()), pkg.hi())',
        "print(open(\"it's.txt\").read().strip(), os.stat('pkg')[0] & 0x4000)",
        "print(open(\"it's.txt\").readlines(), [l for l in open('pkg/__init__.py')][1].strip())",
        "f = open('made.bin', 'wb')",
        'f.write(bytes(range(256)))',
        'f.close()',
        "os.rename('made.bin', 'moved.bin')",
        "os.mkdir('sub')",
      ].join('\n');
      const result = await mpy(
        'mount',
        shared,
        'exec',
        code,
        'exec',
        'import os\nprint(os.getcwd())',
      );
      if (!facts.stdinBuffer) {
        oneLine(result, 1, /^mpy: mount: this board's firmware has no sys\.stdin\.buffer/);
        return;
      }
      const nl = facts.newline;
      assert.equal(
        ok(result),
        `/remote ["it's.txt", 'pkg'] hi ünï${nl}quoted 16384${nl}` +
          `['quoted\\n'] return "hi ünï"${nl}/remote${nl}` +
          `Local directory ${shared} is mounted at /remote\n`,
      );
      assert.deepEqual(
        readFileSync(join(shared, 'moved.bin')),
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      );
      // taken away at the end: the board is back in its own folder, its files untouched
      assert.equal(ok(await mpy('exec', 'import os\nprint(os.getcwd())')), `/${nl}`);
      assert.doesNotMatch(ok(await mpy('ls')), /moved|pkg/);
      // the board cannot reach outside the folder
      const out = await mpy('mount', shared, 'exec', "open('../../../etc/passwd').read()");
      assert.equal(out.code, 1);
      assert.match(out.stderr, /OSError: \[Errno 2\] ENOENT/);
      // the board's own file commands stay out of it: their bytes share the link it is served on
      const refused = await mpy('mount', shared, 'cp', join(local, 'main.py'), ':');
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^mpy: :\/remote is in this computer's folder .*\n$/);
    });
  });
}
