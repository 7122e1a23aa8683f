// test/sync/watch-cli.test.ts: the built `mpy watch` on a virtual board kept in a folder: the
// first sync, one edit, a local delete, then Ctrl-C (SIGINT) ends it (exit 0) with the folder's
// files on the flash and the board's own files kept (or, with --delete, removed);
// with --mpy, modules go compiled, a syntax error sends nothing, and the board imports the fix.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runBin } from '../commands/cli-run.js';

/** Resolve once the child's stderr so far matches `pattern` (or fail after `ms`). */
function stderrMatches(child: ChildProcess, seen: { text: string }, pattern: RegExp, ms = 30_000) {
  return new Promise<void>((resolve, reject) => {
    const fail = () => {
      done();
      reject(new Error(`no ${pattern} in stderr:\n${seen.text}`));
    };
    const timer = setTimeout(fail, ms);
    const done = () => {
      clearTimeout(timer);
      child.stderr!.off('data', check);
      child.off('exit', fail);
    };
    const check = () => {
      if (!pattern.test(seen.text)) return;
      done();
      resolve();
    };
    child.stderr!.on('data', check);
    child.once('exit', fail);
    check();
  });
}

for (const extras of ['kept', 'deleted'] as const) {
  test(`mpy watch${extras === 'deleted' ? ' --delete' : ''}: first sync, an edit, a delete, then Ctrl-C; board extras ${extras}`, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'mpy-watch-cli-'));
    const flash = await mkdtemp(join(tmpdir(), 'mpy-watch-flash-'));
    try {
      await mkdir(join(folder, 'lib'));
      await writeFile(join(folder, 'main.py'), 'print("v1")\n');
      await writeFile(join(folder, 'lib', 'util.py'), 'X = 1\n');
      await writeFile(join(folder, 'old.py'), 'gone soon\n');
      await writeFile(join(flash, 'stale.py'), 'old\n');
      const flags = extras === 'deleted' ? ['--delete'] : [];
      const child = spawn(
        process.execPath,
        ['bin/mpy.js', '-d', `sim:${flash}`, 'watch', ...flags, folder],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const seen = { text: '' };
      child.stderr!.on('data', (chunk: Buffer) => {
        seen.text += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      try {
        await stderrMatches(child, seen, /watching /);
        assert.match(
          seen.text,
          extras === 'deleted'
            ? /watch: synced 4 files \(3 written, 1 removed, 1 folder made\)/
            : /watch: synced 3 files \(3 written, 1 folder made\)/,
        );
        await writeFile(join(folder, 'main.py'), 'print("v2")\n');
        await stderrMatches(child, seen, /watch: synced 1 file \((1 patched|1 written)\)/);
        await rm(join(folder, 'old.py'));
        await stderrMatches(child, seen, /watch: synced 1 file \(1 removed\)/);
      } finally {
        child.kill('SIGINT');
      }
      // Like mount and sim, watch ends normally on Ctrl-C: exit 0.
      assert.equal(await exited, 0, seen.text);
      assert.equal(await readFile(join(flash, 'main.py'), 'utf8'), 'print("v2")\n');
      assert.equal(await readFile(join(flash, 'lib', 'util.py'), 'utf8'), 'X = 1\n');
      await assert.rejects(readFile(join(flash, 'old.py')));
      if (extras === 'deleted') await assert.rejects(readFile(join(flash, 'stale.py')));
      else assert.equal(await readFile(join(flash, 'stale.py'), 'utf8'), 'old\n');
    } finally {
      await rm(folder, { recursive: true, force: true });
      await rm(flash, { recursive: true, force: true });
    }
  });
}

test('mpy watch --mpy: modules compiled, a syntax error is one line and sends nothing', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'mpy-watch-cli-'));
  const flash = await mkdtemp(join(tmpdir(), 'mpy-watch-flash-'));
  try {
    await mkdir(join(folder, 'lib'));
    await writeFile(join(folder, 'main.py'), 'print("v1")\n');
    await writeFile(join(folder, 'lib', 'util.py'), 'X = 1\n');
    // a stale source on the board would be imported before the new .mpy
    await mkdir(join(flash, 'lib'));
    await writeFile(join(flash, 'lib', 'util.py'), 'X = 0\n');
    const child = spawn(
      process.execPath,
      ['bin/mpy.js', '-d', `sim:${flash}`, 'watch', '--mpy', '--no-delete', folder],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const seen = { text: '' };
    child.stderr!.on('data', (chunk: Buffer) => {
      seen.text += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    let compiled: Buffer;
    try {
      await stderrMatches(child, seen, /watching /);
      assert.match(seen.text, /watch: synced 3 files \(2 written, 1 removed\)/);
      compiled = await readFile(join(flash, 'lib', 'util.mpy'));
      await writeFile(join(folder, 'lib', 'util.py'), 'X = (\n');
      const shown = join(folder, 'lib', 'util.py').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await stderrMatches(
        child,
        seen,
        new RegExp(`watch: ${shown}:2: SyntaxError: invalid syntax\n`),
      );
      assert.deepEqual(await readFile(join(flash, 'lib', 'util.mpy')), compiled);
      await writeFile(join(folder, 'lib', 'util.py'), 'X = 2\n');
      await stderrMatches(child, seen, /watch: synced 1 file \(1 written\)/);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, seen.text);
    assert.deepEqual((await readdir(join(flash, 'lib'))).sort(), ['util.mpy']);
    assert.equal(await readFile(join(flash, 'main.py'), 'utf8'), 'print("v1")\n');
    const run = await runBin(
      '-d',
      `sim:${flash}`,
      'exec',
      "import sys\nsys.path.insert(0, '/lib')\nimport util\nprint(util.X)",
    );
    assert.match(run.stdout.toString(), /^2\r?\n$/, run.stderr);
  } finally {
    await rm(folder, { recursive: true, force: true });
    await rm(flash, { recursive: true, force: true });
  }
});
