// test/many/cli.test.ts: the CLI with `-d` naming two virtual boards (flash in temp folders):
// the commands that work on many run on each board, tagged, with the table after them; the
// ones that hold one board are a usage error that says why; a board that fails fails alone.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli.js';

let root: string;
let flashA: string;
let flashB: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'mpy-many-cli-'));
  flashA = join(root, 'a');
  flashB = join(root, 'b');
  mkdirSync(flashA);
  mkdirSync(flashB);
  writeFileSync(join(root, 'main.py'), 'print("hi")\n');
  writeFileSync(join(root, 'run.py'), 'print("ran")\n');
  writeFileSync(join(root, 'ylib.py'), 'Y = 2\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

async function mpy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await main(['node', 'mpy', ...args], {
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: sink((text) => {
      stderr += text;
    }),
  });
  return { code, stdout, stderr };
}

/** Tagged lines of one board, untagged. */
function linesOf(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}\t`))
    .map((line) => line.slice(name.length + 1));
}

test('cp, ls, sha256sum, run, mip install, rm, mkdir, reset, exec on two boards', async () => {
  const result = await mpy(
    '-d',
    `sim:${flashA}`,
    '-d',
    `sim:${flashB}`,
    'mkdir',
    ':d',
    '+',
    'cp',
    join(root, 'main.py'),
    ':d/',
    '+',
    'ls',
    ':d',
    '+',
    'sha256sum',
    '--no-verbose',
    ':d/main.py',
    '+',
    'run',
    join(root, 'run.py'),
    '+',
    'mip',
    'install',
    join(root, 'ylib.py'),
    '+',
    'rm',
    ':d/main.py',
    '+',
    'reset',
    '+',
    'exec',
    'import os; print(sorted(os.listdir("/")))',
  );
  assert.equal(result.code, 0, result.stderr);
  for (const name of ['sim:a', 'sim:b']) {
    const lines = linesOf(result.stdout, name);
    assert.deepEqual(lines.slice(0, 5), [
      'mkdir :d',
      `cp ${join(root, 'main.py')} :d/`,
      'ls :d',
      '          12 main.py',
      createHash('sha256').update('print("hi")\n').digest('hex'),
    ]);
    assert.ok(lines.includes('ran'), name);
    assert.ok(lines.includes('Installing: /lib/ylib.py'), name);
    assert.equal(lines.at(-1), "['d', 'lib']");
  }
  assert.equal(readFileSync(join(flashA, 'lib', 'ylib.py'), 'utf8'), 'Y = 2\n');
  assert.equal(readFileSync(join(flashB, 'lib', 'ylib.py'), 'utf8'), 'Y = 2\n');
  assert.match(
    result.stderr,
    /^board\s+result\s+sent\s+time\nsim:a\s+ok\s.*\nsim:b\s+ok\s.*\n2 of 2 boards ok\n$/,
  );
});

test('repl, mount, dev and edit on several boards are usage errors that say why', async () => {
  const two = `sim:${flashA},sim:${flashB}`;
  for (const [command, why] of [
    ['repl', /a terminal talks to one board/],
    ['mount', /one FUSE folder shows one board's files/],
    ['dev', /`mpy watch DIR` keeps many boards in sync/],
    ['edit', /one editor session/],
  ] as const) {
    const args = command === 'repl' ? [] : [root];
    const result = await mpy('-d', two, command, ...args);
    assert.equal(result.code, 64, `${command}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^mpy: ${command} works on one board, -d names 2: `));
    assert.match(result.stderr, why);
  }
  const chained = await mpy('-d', two, 'exec', 'pass', '+', 'watch', root);
  assert.equal(chained.code, 64);
  assert.match(chained.stderr, /watch on several boards runs alone/);
});

test('a board that fails fails alone: its row has the error, the exit code is 1', async () => {
  const missing = join(root, 'ttyNOPE');
  const result = await mpy('-d', `sim:${flashA},${missing}`, 'exec', 'print(6*7)');
  assert.equal(result.code, 1);
  assert.deepEqual(linesOf(result.stdout, 'sim:a'), ['42']);
  assert.deepEqual(linesOf(result.stderr, 'ttyNOPE'), [
    `mpy: no such port ${missing} (see \`mpy devs\`)`,
  ]);
  assert.match(
    result.stderr,
    /\nttyNOPE\s+no such port .* \(exit 2\)\s+-\s+\d+ ms\n1 of 2 boards ok\n$/,
  );
});

test('a glob that matches nothing is a link problem, exit 2', async () => {
  const result = await mpy('-d', join(root, 'tty*'), 'ls');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^mpy: -d .*tty\*: no board found/);
});
