// test/board/faults.e2e.test.ts: failures in the middle of a write never damage the old file: a
// link cut during an upload or a download (the sim's cable pulled; a real board's power cut with
// its relay), a full flash (ENOSPC), and temp files left behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import { PendingWrites } from '../../src/commands/pending.js';
import { BoardError, MpyError, TransportError } from '../../src/errors.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { VirtualBoard } from '../../src/sim/index.js';
import {
  type BoardKind,
  boardFacts,
  kindSkip,
  kindsWhere,
  openTestBoard,
  type TestBoard,
} from '../helpers/boards.js';

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

const names = async (board: Board) => (await board.listDir('/')).map((e) => e.name).sort();

describe('faults on the in-process virtual board (sim-only: flash folder, cut after N bytes, flash size)', () => {
  for (const fraction of [0.1, 0.5, 0.9]) {
    test(`a link cut at ${fraction * 100} % of an upload leaves the old file intact`, async () => {
      const dir = flashDir();
      const vb = await VirtualBoard.start({ flashDir: dir });
      try {
        const old = new Uint8Array(randomBytes(5000));
        const first = await connect(vb);
        const notes = flashDir();
        const journal = new PendingWrites('sim', notes);
        first.board = new Board(first.repl, { journal });
        await first.board.writeFile('/f.bin', old);
        assert.deepEqual(journal.left(), [], 'a write that ended leaves no note');
        const fresh = new Uint8Array(randomBytes(40_000));
        vb.setLink({ cutAfterBytes: Math.floor(fresh.length * fraction) });
        await assert.rejects(first.board.writeFile('/f.bin', fresh), MpyError);
        assert.deepEqual(journal.left(), ['/'], 'the cut write leaves its folder noted');
        await first.repl.close().catch(() => {});
        assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'f.bin'))), old);
        // The board is still inside the upload, reading stdin with Ctrl-C off: reconnecting
        // feeds it until the read ends, the digest check fails and the temp file goes.
        vb.setLink({ cutAfterBytes: undefined });
        const second = await connect(vb);
        assert.deepEqual(await second.board.readFile('/f.bin'), old);
        await second.board.writeFile('/g.bin', fresh);
        assert.deepEqual(await names(second.board), ['f.bin', 'g.bin'], 'stray temp file kept');
        await second.repl.close();
      } finally {
        await vb.stop();
      }
    });
  }

  test('a board reset mid-upload is named as one and keeps the old file', async () => {
    const dir = flashDir();
    // paced, so the reset lands while the host still waits for acknowledgements
    const vb = await VirtualBoard.start({ flashDir: dir, baud: 115200 * 8 });
    try {
      const { repl, board } = await connect(vb);
      const old = new Uint8Array(randomBytes(3000));
      await board.writeFile('/f.bin', old);
      let reset: Promise<void> | undefined;
      const onProgress = (done: number, total: number) => {
        if (!reset && done >= total / 3) reset = vb.pressReset();
      };
      const fresh = new Uint8Array(randomBytes(60_000));
      const failed = board.writeFile('/f.bin', fresh, { onProgress }).then(
        () => undefined,
        (error: unknown) => error,
      );
      // the board is back and the link closed before anything is asserted: a failed assertion
      // must not leave the reset running while the board stops
      const error = await failed;
      await reset;
      await repl.close().catch(() => {});
      assert.ok(error instanceof TransportError, String(error));
      assert.equal(
        error.message,
        'the board reset during the transfer (the file on the board is as it was)',
      );
      assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'f.bin'))), old);
    } finally {
      await vb.stop();
    }
  });

  test('a full flash gives ENOSPC, keeps the old file and removes the temp file', async () => {
    const vb = await VirtualBoard.start({ flashDir: flashDir(), flashSize: 64 * 1024 });
    try {
      const { repl, board } = await connect(vb);
      await fullFlash(board, new Board(repl, { binary: false }), 8000, 100_000);
      await repl.close();
    } finally {
      await vb.stop();
    }
  });
});

/** Fill the flash with `big` bytes over an `old` file, binary then text: ENOSPC, nothing lost. */
async function fullFlash(board: Board, textBoard: Board, oldSize: number, bigSize: number) {
  const old = new Uint8Array(randomBytes(oldSize));
  await board.writeFile('/f.bin', old);
  const big = new Uint8Array(randomBytes(bigSize));
  await assert.rejects(
    board.writeFile('/f.bin', big),
    (e) => e instanceof BoardError && e.errno === 28,
  );
  assert.deepEqual(await board.readFile('/f.bin'), old);
  assert.deepEqual(await names(board), ['f.bin']);
  await assert.rejects(
    textBoard.writeFile('/f.bin', big),
    (e) => e instanceof BoardError && e.errno === 28,
  );
  assert.deepEqual(await board.readFile('/f.bin'), old);
  assert.deepEqual(await names(board), ['f.bin']);
}

/**
 * Cut the link once `onProgress` passes `fraction` of a transfer; the cut's own promise is kept
 * so the test can wait for the board to be gone before it reconnects.
 */
function cutAt(t: TestBoard, fraction: number) {
  let cut: Promise<void> | undefined;
  return {
    onProgress: (done: number, total: number) => {
      if (!cut && done >= total * fraction) cut = t.cut();
    },
    done: async () => {
      assert.ok(cut, 'the transfer ended before the cut');
      await cut;
    },
  };
}

// A cut is worth checking where the files outlive it: the sim (its cable is pulled, the board
// runs on) and the unix port (its flash image outlives the power cut). qemu and the micro:bit
// lose their flash with the power; test/repl/e2e.test.ts checks the cut itself there.
const cutKinds: BoardKind[] = kindsWhere((facts) => facts.keepsFlashOffline);

for (const kind of cutKinds) {
  const facts = boardFacts(kind);
  // 40 KB, or what the line moves in a second; unthrottled, enough that the rest of the
  // transfer takes longer than the cut (a relay ends in a few ms)
  // (a 15 KB flash, micro:bit-like: a quarter of it, so the temp file and the copy fit)
  const size =
    facts.flashBytes < 64 * 1024
      ? Math.floor(facts.flashBytes / 4)
      : Math.max(Math.min(40_000, facts.bytesPerSecond), facts.bytesPerSecond / 2);
  describe(`a link cut on ${kind}`, { skip: kindSkip(kind) }, () => {
    test('halfway through an upload leaves the old file intact', async () => {
      const t = await openTestBoard(kind);
      try {
        const first = new Board(t.repl);
        const old = new Uint8Array(randomBytes(Math.min(5000, size / 2)));
        await first.writeFile('/f.bin', old);
        const fresh = new Uint8Array(randomBytes(size));
        const cut = cutAt(t, 0.5);
        await assert.rejects(first.writeFile('/f.bin', fresh, cut), MpyError);
        await cut.done();
        const second = new Board(await t.connect());
        assert.deepEqual(await second.readFile('/f.bin'), old);
        await second.writeFile('/g.bin', fresh);
        const left = await names(second);
        if (facts.sim) assert.deepEqual(left, ['f.bin', 'g.bin'], 'stray temp file kept');
        // A board that lost power mid-write cannot clean up: only the two files must be whole.
        else for (const name of ['f.bin', 'g.bin']) assert.ok(left.includes(name), name);
        assert.deepEqual(await second.readFile('/g.bin'), fresh);
      } finally {
        await t.close();
      }
    });

    test('during a download leaves the file alone and the board reachable', async () => {
      // In process the sim is unthrottled: pace it so the cut lands mid-download.
      const t = await openTestBoard(kind, kind === 'inproc' ? { sim: { baud: 115200 * 8 } } : {});
      try {
        const data = new Uint8Array(randomBytes(size));
        await new Board(t.repl).writeFile('/d.bin', data);
        const cut = cutAt(t, 1 / 3);
        await assert.rejects(new Board(t.repl).readFile('/d.bin', cut), MpyError);
        await cut.done();
        assert.deepEqual(await new Board(await t.connect()).readFile('/d.bin'), data);
      } finally {
        await t.close();
      }
    });
  });
}

// A real flash filled for real, where that takes seconds: the micro:bit's 15 KB, the unix
// port's 2 MB unthrottled. (The sim's flash size is a knob: above.)
const fullKinds = kindsWhere(
  (facts) => !facts.sim && (facts.flashBytes * 1.3) / facts.bytesPerSecond < 8,
);

for (const kind of fullKinds) {
  const facts = boardFacts(kind);
  test(`a full flash on ${kind} gives ENOSPC and keeps the old file`, {
    skip: kindSkip(kind),
  }, async () => {
    const t = await openTestBoard(kind);
    try {
      const oldSize = Math.min(8000, Math.floor(facts.flashBytes / 4));
      const bigSize = Math.floor(facts.flashBytes * 1.3);
      await fullFlash(new Board(t.repl), new Board(t.repl, { binary: false }), oldSize, bigSize);
    } finally {
      await t.close();
    }
  });
}
