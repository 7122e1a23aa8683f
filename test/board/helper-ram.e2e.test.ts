// test/board/helper-ram.e2e.test.ts: what the board helper leaves in a real board's RAM between
// commands: on a board with room it stays and the next connection reuses it (so a fresh
// connection's 16 KB upload costs at most 1.05 wire bytes a byte); on a small heap nothing is
// left to grow: any number of cp, ls -l and cat in a row, each a new connection.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { main } from '../../src/cli.js';
import type { CommandPtyServer } from '../../src/sim/index.js';
import { realBoardSkip, startRealBoard } from '../helpers/real-boards.js';

const dir = mkdtempSync(join(tmpdir(), 'mpy-helper-ram-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `mpy -d PTY ARGS…` in this process; stdout and stderr, or a throw with them. */
async function mpy(
  pty: CommandPtyServer,
  ...args: string[]
): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (into: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        into(String(chunk));
        done();
      },
    });
  const code = await main(['node', 'mpy', '-d', pty.path, ...args], {
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
  });
  assert.equal(code, 0, `mpy ${args.join(' ')}: ${err}`);
  return { out, err };
}

const skip = realBoardSkip('unix');

test('a helper left on the board is reused: a fresh connection uploads 16 KB at <= 1.05', {
  skip,
}, async () => {
  const pty = await startRealBoard('unix', 115200);
  try {
    const file = join(dir, 'r16.bin');
    writeFileSync(file, randomBytes(16 * 1024));
    await mpy(pty, 'cp', file, ':r.bin');
    const before = await pty.counters();
    const { err } = await mpy(pty, '--debug', 'cp', '-f', file, ':r.bin');
    const after = await pty.counters();
    assert.match(err, /reusing the helper/);
    const ratio = (after.hostToBoard - before.hostToBoard) / (16 * 1024);
    assert.ok(
      ratio <= 1.05,
      `a fresh connection's upload cost ${ratio.toFixed(3)} wire bytes a byte`,
    );
  } finally {
    await pty.close();
  }
});

test('a board with 20 KB of free heap takes any number of cp, ls -l and cat in a row', {
  skip,
}, async () => {
  const pty = await startRealBoard('unix', 0, ['--heap', '24K']);
  try {
    const free = async () => {
      const { out } = await mpy(pty, 'exec', 'import gc;gc.collect();print(gc.mem_free())');
      return Number(out.trim());
    };
    const start = await free();
    assert.ok(start > 18_000 && start < 22_000, `free heap ${start}`);
    const source = 'x = 1  # a line of a small module\n'.repeat(90);
    const file = join(dir, 'm.py');
    writeFileSync(file, source);
    const seen: number[] = [];
    for (let round = 0; round < 24; round++) {
      await mpy(pty, 'cp', '-f', file, `:m${round % 3}.py`);
      assert.match((await mpy(pty, 'ls', '-l')).out, /m0\.py/);
      assert.equal((await mpy(pty, 'cat', `:m${round % 3}.py`)).out, source);
      if (round % 8 === 7) seen.push(await free());
    }
    // nothing grows: what is free after the last round is what was free after the first eight
    assert.ok(seen.at(-1)! >= seen[0]! - 256, `free heap ${start} then ${seen.join(', ')}`);
  } finally {
    await pty.close();
  }
});
