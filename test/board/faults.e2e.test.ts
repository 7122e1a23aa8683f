// test/board/faults.e2e.test.ts: failures in the middle of a write never damage the old file: a
// link cut at 10/50/90 % of an upload, a full flash (ENOSPC), and temp files left behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import { BoardError, MpyError } from '../../src/errors.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { VirtualBoard } from '../../src/sim/index.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function flashDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-faults-'));
  dirs.push(dir);
  return dir;
}

async function connect(vb: VirtualBoard): Promise<{ repl: RawRepl; board: Board }> {
  const repl = await RawRepl.connect(vb.connect());
  return { repl, board: new Board(repl) };
}

for (const fraction of [0.1, 0.5, 0.9]) {
  test(`a link cut at ${fraction * 100} % of an upload leaves the old file intact`, async () => {
    const dir = flashDir();
    const vb = await VirtualBoard.start({ flashDir: dir });
    try {
      const old = new Uint8Array(randomBytes(5000));
      const first = await connect(vb);
      await first.board.writeFile('/f.bin', old);
      const fresh = new Uint8Array(randomBytes(40_000));
      vb.setLink({ cutAfterBytes: Math.floor(fresh.length * fraction) });
      await assert.rejects(first.board.writeFile('/f.bin', fresh), MpyError);
      await first.repl.close().catch(() => {});
      assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'f.bin'))), old);
      // The board is still inside the upload, reading stdin with Ctrl-C off: reconnecting
      // feeds it until the read ends, the digest check fails and the temp file goes.
      vb.setLink({ cutAfterBytes: undefined });
      const second = await connect(vb);
      assert.deepEqual(await second.board.readFile('/f.bin'), old);
      await second.board.writeFile('/g.bin', fresh);
      const names = (await second.board.listDir('/')).map((e) => e.name).sort();
      assert.deepEqual(names, ['f.bin', 'g.bin'], 'stray temp file kept');
      await second.repl.close();
    } finally {
      await vb.stop();
    }
  });
}

test('a link cut during a download leaves the file alone and the board reachable', async () => {
  const vb = await VirtualBoard.start({ baud: 115200 * 8 });
  try {
    const first = await connect(vb);
    const data = new Uint8Array(randomBytes(30_000));
    await first.board.writeFile('/d.bin', data);
    const download = first.board.readFile('/d.bin', {
      onProgress: (done, total) => {
        if (done > total / 3) vb.cutLink();
      },
    });
    await assert.rejects(download, MpyError);
    await first.repl.close().catch(() => {});
    const second = await connect(vb);
    assert.deepEqual(await second.board.readFile('/d.bin'), data);
    await second.repl.close();
  } finally {
    await vb.stop();
  }
});

test('a full flash gives ENOSPC, keeps the old file and removes the temp file', async () => {
  const dir = flashDir();
  const vb = await VirtualBoard.start({ flashDir: dir, flashSize: 64 * 1024 });
  try {
    const { repl, board } = await connect(vb);
    const old = new Uint8Array(randomBytes(8000));
    await board.writeFile('/f.bin', old);
    const big = new Uint8Array(randomBytes(100_000));
    await assert.rejects(
      board.writeFile('/f.bin', big),
      (e) => e instanceof BoardError && e.errno === 28,
    );
    assert.deepEqual(await board.readFile('/f.bin'), old);
    assert.deepEqual(
      (await board.listDir('/')).map((e) => e.name),
      ['f.bin'],
    );
    const text = new Uint8Array(randomBytes(100_000));
    await assert.rejects(
      new Board(repl, { binary: false }).writeFile('/f.bin', text),
      (e) => e instanceof BoardError && e.errno === 28,
    );
    assert.deepEqual(await board.readFile('/f.bin'), old);
    assert.deepEqual(
      (await board.listDir('/')).map((e) => e.name),
      ['f.bin'],
    );
    await repl.close();
  } finally {
    await vb.stop();
  }
});
