// test/mip/cli.e2e.test.ts: `mpy mip install` through the CLI's main() from a local HTTP index,
// onto the virtual board, MicroPython's real unix port and the micro:bit v1 firmware (flat)
// behind a pty: the lines printed, the files on the board, that they import, the error exit.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli.js';
import { type CliResult, runMpy } from '../commands/cli-run.js';
import { realBoardSkip, startRealBoard } from '../helpers/real-boards.js';
import { IndexServer } from './index-server.js';

let server: IndexServer;
let root: string;

before(async () => {
  server = await IndexServer.start();
  root = mkdtempSync(join(tmpdir(), 'mpy-mip-cli-'));
  // `app` needs `util`; .mpy builds for version 6 (the sim's and the unix port's), .py sources.
  // The .mpy contents are stand-ins: no mpy-cross here, so only the .py builds are imported.
  server.addPackage('app', { files: { 'app/__init__.mpy': 'mpy:app' }, deps: [['util', '']] });
  server.addPackage('util', { files: { 'util.mpy': 'mpy:util' }, version: '1.0' });
  server.addPackage(
    'app',
    {
      files: { 'app/__init__.py': 'from util import N\nNAME = "app%d" % N\n' },
      deps: [['util', '']],
    },
    'py',
  );
  server.addPackage('util', { files: { 'util.py': 'N = 7\n' } }, 'py');
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function freshFlash(name: string): string {
  const flash = join(root, name);
  mkdirSync(flash);
  return flash;
}

/** Output with the board's \r\n line ends as \n (the unix port and the sim differ). */
const lf = (out: Buffer) => out.toString().replace(/\r\n/g, '\n');

const expectedLines = (target: string, ext: string) =>
  [
    'Install app',
    `Installing app (latest) from ${server.url} to ${target}`,
    `Installing: ${target}/app/__init__.${ext}`,
    `Installing util (latest) from ${server.url} to ${target}`,
    `Installing: ${target}/util.${ext}`,
    'Done',
    '',
  ].join('\n');

test('virtual board: a package and its dependency as .mpy into /lib, again: Exists', async () => {
  const flash = freshFlash('modern');
  const first = await runMpy(flash, 'mip', 'install', '--index', server.url, 'app');
  assert.equal(first.stderr, '');
  assert.equal(first.code, 0);
  assert.equal(first.stdout.toString(), expectedLines('/lib', 'mpy'));
  assert.equal(readFileSync(join(flash, 'lib', 'app', '__init__.mpy'), 'utf8'), 'mpy:app');
  assert.equal(readFileSync(join(flash, 'lib', 'util.mpy'), 'utf8'), 'mpy:util');
  const again = await runMpy(flash, 'mip', 'install', '--index', server.url, 'app');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout.toString(), /Exists: \/lib\/app\/__init__\.mpy\n/);
  assert.doesNotMatch(again.stdout.toString(), /Installing: /);
});

test('virtual board: --no-mpy --target in a + chain, then the package imports', async () => {
  const flash = freshFlash('source');
  const result = await runMpy(
    flash,
    ...['mip', 'install', '--no-mpy', '--target', ':/pkgs', '--index', server.url, 'app'],
    ...['+', 'exec', 'import sys; sys.path.append("/pkgs"); import app; print(app.NAME)'],
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(lf(result.stdout), `${expectedLines('/pkgs', 'py')}app7\n`);
  assert.equal(readFileSync(join(flash, 'pkgs', 'util.py'), 'utf8'), 'N = 7\n');
});

test('virtual board: an unknown package is one line on stderr, exit 1, nothing written', async () => {
  const flash = freshFlash('unknown');
  const result = await runMpy(flash, 'mip', 'install', '--index', server.url, 'nosuch');
  assert.deepEqual(
    [result.code, result.stdout.toString(), result.stderr],
    [1, 'Install nosuch\n', `mpy: Package not found: ${server.url}/package/6/nosuch/latest.json\n`],
  );
  assert.deepEqual(await runMpy(flash, 'mip', 'frob', 'x').then((r) => [r.code, r.stderr]), [
    64,
    "mpy: mip: 'frob' is not a command (mpy mip install PACKAGE...)\n",
  ]);
});

function sink(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
}

/** `mpy -d DEVICE ...args` in this process. */
async function runOn(device: string, ...args: string[]): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const code = await main(['node', 'mpy', '-d', device, ...args], {
    stdout: sink(out),
    stderr: sink(err),
  });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}

for (const [name, label] of [
  ['unix', 'real unix port'],
  ['qemu', 'real qemu port (Cortex-M3)'],
] as const) {
  test(`${label}: .mpy install, then --no-mpy, and the package imports`, {
    skip: realBoardSkip(name),
  }, async () => {
    const pty = await startRealBoard(name, 0);
    try {
      // qemuboard's sys.path is [''] alone: a package would install where nothing imports it,
      // so mip refuses with mpremote's words, and --target says where
      const target: string[] = [];
      if (name === 'qemu') {
        const refused = await runOn(pty.path, 'mip', 'install', '--index', server.url, 'app');
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /Unable to find lib dir in sys\.path, use --target/);
        assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
        const ls = await runOn(pty.path, 'ls', ':/');
        assert.ok(!ls.stdout.toString().includes('lib/'), 'nothing was written');
        target.push('--target', ':/lib');
      }
      const first = await runOn(
        pty.path,
        'mip',
        'install',
        ...target,
        '--index',
        server.url,
        'app',
      );
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout.toString(), expectedLines('/lib', 'mpy'));
      const cat = await runOn(
        pty.path,
        'cat',
        ':/lib/app/__init__.mpy',
        '+',
        'cat',
        ':/lib/util.mpy',
      );
      assert.equal(cat.stdout.toString(), 'mpy:appmpy:util');
      const source = await runOn(
        pty.path,
        ...['mip', 'install', '--no-mpy', ...target, '--index', server.url, 'app'],
        // qemuboard's sys.path is [''] alone: add the folder it was installed to
        ...['+', 'exec', "import sys; sys.path.append('/lib'); import app; print(app.NAME)"],
      );
      assert.equal(source.code, 0, source.stderr);
      assert.equal(lf(source.stdout), `${expectedLines('/lib', 'py')}app7\n`);
    } finally {
      await pty.close();
    }
  });
}

const microbitSkip = realBoardSkip('microbit');
test('real micro:bit v1 firmware (flat, no sys.path, no _mpy): .py files at /', {
  skip: microbitSkip,
}, async () => {
  server.addPackage('flatmod', { files: { 'flatmod.py': 'F = 41 + 1\n' } }, 'py');
  const pty = await startRealBoard('microbit', 0);
  try {
    const result = await runOn(
      pty.path,
      ...['mip', 'install', '--index', server.url, 'flatmod'],
      ...['+', 'exec', 'import flatmod; print(flatmod.F)'],
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      lf(result.stdout),
      [
        'Install flatmod',
        `Installing flatmod (latest) from ${server.url} to /`,
        'Installing: /flatmod.py',
        'Done',
        '42',
        '',
      ].join('\n'),
    );
    const nested = await runOn(pty.path, 'mip', 'install', '--index', server.url, 'app');
    assert.equal(nested.code, 1);
    assert.equal(
      nested.stderr,
      'mpy: cannot install /app/__init__.py: this board has no folders\n',
    );
    assert.match(lf(nested.stdout), /Package may be partially installed\n$/);
  } finally {
    await pty.close();
  }
});
