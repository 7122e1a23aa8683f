// test/commands/cp-mpy.e2e.test.ts: `mpy cp --mpy` and `mpy watch --mpy` as a user types them
// (bin/mpy.js -d PTY) on the board kinds at 115200 baud: modules land as .mpy only and import,
// tracebacks name the source, a syntax error sends nothing, an edit is patched into the .mpy, and
// firmware that loads no version-6 .mpy is refused in one line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { BIN, type CliResult, runBin } from './cli-run.js';

function ok(result: CliResult): string {
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
  return result.stdout.toString();
}

function oneLine(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr.trimEnd(), pattern);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
}

/** Firmware that loads .mpy version 6, as its README says: MicroPython 1.19 and later (the
 * micro:bit v1 and the sim's legacy profile are 1.9.2). */
function loadsMpy6(kind: string): boolean {
  return kind !== 'pty-legacy' && boardFacts(kind as never).real !== 'microbit';
}

/** The names `mpy ls` prints (in the board's order, which FAT does not sort), sorted. */
function names(listing: string): string[] {
  return listing
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.trim().split(/\s+/)[1]!)
    .sort();
}

const LIB = 'def double(x):\n    return x * 2\n\n\ndef boom():\n    raise ValueError("boom")\n';

// Behind a pty (a port to name), at the line's pace: the unthrottled twins add nothing here.
for (const kind of kindsWhere((_, k) => k !== 'inproc' && !k.endsWith('-usb'))) {
  describe(`cp --mpy on ${kind}`, { skip: kindSkip(kind) }, () => {
    let t: TestBoard;
    let local: string;
    const mpy = (...args: string[]) => runBin('-d', t.ptyPath!, ...args);

    before(async () => {
      t = await openTestBoard(kind);
      await t.repl.close(); // the port is the CLI's now
      local = mkdtempSync(join(tmpdir(), 'mpy-cp-mpy-'));
      writeFileSync(join(local, 'lib.py'), LIB);
      writeFileSync(join(local, 'main.py'), 'import lib\n');
      writeFileSync(join(local, 'bad.py'), 'x = 1\ndef f(:\n    pass\n');
    });
    after(async () => {
      await t?.close();
      if (local) rmSync(local, { recursive: true, force: true });
    });

    if (!loadsMpy6(kind)) {
      test('refused in one line, and nothing is sent', async () => {
        oneLine(
          await mpy('cp', '--mpy', join(local, 'lib.py'), ':'),
          /^mpy: --mpy: this board \(MicroPython 1\.9\.2\) has no sys\.implementation\._mpy: it loads no \.mpy files of version 6/,
        );
        assert.doesNotMatch(ok(await mpy('ls')), /lib\./);
      });
      return;
    }

    test('the module lands as lib.mpy only (a stale lib.py goes), imports and runs', async () => {
      ok(await mpy('exec', "open('lib.py', 'w').write('def double(x):\\n    return 0\\n')"));
      const lib = join(local, 'lib.py');
      assert.equal(ok(await mpy('cp', '--mpy', lib, ':')), `cp ${lib} :\n`);
      assert.deepEqual(names(ok(await mpy('ls'))), ['lib.mpy']);
      const out = ok(await mpy('exec', 'import lib\nprint(lib.double(21))'));
      assert.match(out, /^42\r?\n$/);
      // the same file again: the board already holds it
      assert.equal(ok(await mpy('cp', '--mpy', lib, ':')), `cp ${lib} :\nUp to date: ./lib.mpy\n`);
    });

    test("the board's tracebacks name the source file and line", async () => {
      const result = await mpy('exec', 'import lib\nlib.boom()');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /File "\/lib\.py", line 6, in boom/);
      assert.match(result.stderr, /ValueError: boom/);
    });

    test('watch --mpy: an edit is patched into the .mpy, and the board imports it', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'mpy-watch-mpy-'));
      const lines = Array.from({ length: 150 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`);
      writeFileSync(join(folder, 'big.py'), lines.join('\n'));
      const child = spawn(
        process.execPath,
        [BIN, '-d', t.ptyPath!, 'watch', '--mpy', '--to', ':/w', folder],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let seen = '';
      child.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const waitFor = (pattern: RegExp) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (!pattern.test(seen)) return;
            child.stderr.off('data', check);
            resolve();
          };
          child.stderr.on('data', check);
          check();
          exited.then(() => reject(new Error(`watch ended before ${pattern}:\n${seen}`)));
        });
      try {
        await waitFor(/watching /);
        lines[100] = 'def f100(x):\n    return x * 1000\n';
        writeFileSync(join(folder, 'big.py'), lines.join('\n'));
        await waitFor(/watch: synced 1 file \(1 patched\)/);
      } finally {
        child.kill('SIGINT');
        rmSync(folder, { recursive: true, force: true });
      }
      assert.equal(await exited, 0, seen);
      assert.deepEqual(names(ok(await mpy('ls', ':/w'))), ['big.mpy']);
      const out = ok(
        await mpy('exec', "import sys\nsys.path.insert(0, '/w')\nimport big\nprint(big.f100(2))"),
      );
      assert.match(out, /^2000\r?\n$/);
      ok(await mpy('rm', '-r', ':/w'));
    });

    test('main.py stays source; a syntax error is file:line: message and sends nothing', async () => {
      ok(await mpy('cp', '--mpy', join(local, 'main.py'), ':'));
      const bad = join(local, 'bad.py');
      oneLine(
        await mpy('cp', '--mpy', bad, ':'),
        /^mpy: .*bad\.py:2: SyntaxError: invalid syntax$/,
      );
      assert.deepEqual(names(ok(await mpy('ls'))), ['lib.mpy', 'main.py']);
      ok(await mpy('rm', ':main.py', '+', 'rm', ':lib.mpy'));
    });
  });
}
