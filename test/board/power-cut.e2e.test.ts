// test/board/power-cut.e2e.test.ts: a power cut at any moment of an upload leaves the old file or
// the new one, never a broken one, on the real unix port with its flash in an image file (FAT,
// where a file cannot be renamed over another, and littlefs): the board is killed mid-upload
// and booted again from the same image.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import { PendingWrites } from '../../src/commands/pending.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import type { CommandPtyServer } from '../../src/sim/index.js';
import { openSerial } from '../../src/transport/serial.js';
import { runBin } from '../commands/cli-run.js';
import { realBoardSkip, startRealBoard } from '../helpers/real-boards.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function boot(fs: 'unix' | 'unix-fat', image: string) {
  const pty = await startRealBoard(fs, 115200, ['--image', image]);
  const repl = await RawRepl.connect(await openSerial(pty.path, { baud: 115200 }));
  return { pty, repl, board: new Board(repl) };
}

/** Resolve once `bytes` more have gone to the board than when called, or `done` is set. */
async function afterBytes(
  pty: CommandPtyServer,
  bytes: number,
  done: { value: boolean },
): Promise<void> {
  const start = (await pty.counters()).hostToBoard;
  while (!done.value) {
    if ((await pty.counters()).hostToBoard - start >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Upload `data` to `path` and cut the power once `fraction` of it has gone to the board; the
 * board is then killed (its flash image kept). Resolves to whether the upload finished first. */
async function cutDuring(
  board: Awaited<ReturnType<typeof boot>>,
  path: string,
  data: Uint8Array,
  fraction: number,
): Promise<'done' | 'cut'> {
  const done = { value: false };
  const upload = board.board.writeFile(path, data).then(
    () => 'done' as const,
    () => 'cut' as const,
  );
  void upload.then(() => {
    done.value = true;
  });
  await afterBytes(board.pty, data.length * fraction, done);
  await board.pty.close(); // the power goes: qemu/unix port killed, flash image kept
  const result = await upload;
  await board.repl.close().catch(() => {});
  return result;
}

for (const fs of ['unix-fat', 'unix'] as const) {
  const skip = realBoardSkip(fs);
  describe(`power cut during an upload (${fs}, flash in an image file)`, { skip }, () => {
    for (const fraction of [0.05, 0.5, 0.95, 1.02]) {
      test(`cut at ${Math.round(fraction * 100)} % of the upload: old or new file, no temp file`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'mpy-powercut-'));
        dirs.push(dir);
        const image = join(dir, 'flash.img');
        const old = new Uint8Array(randomBytes(3000));
        const fresh = new Uint8Array(randomBytes(24_000));
        const first = await boot(fs, image);
        await first.board.mkdir('/lib');
        await first.board.writeFile('/lib/f.bin', old);
        await cutDuring(first, '/lib/f.bin', fresh, fraction);

        const second = await boot(fs, image);
        try {
          const digest = await second.board.digest('/lib/f.bin');
          assert.ok(
            digest === sha(old) || digest === sha(fresh),
            `after the cut /lib/f.bin is neither old nor new (${digest})`,
          );
          const names = (await second.board.listDir('/lib')).map((e) => e.name);
          assert.deepEqual(names, ['f.bin']);
          // the next write into the folder sweeps what the cut left
          await second.board.writeFile('/lib/g.bin', old);
          const raw = await second.repl.eval("__import__('os').listdir('/lib')");
          assert.deepEqual((raw as string[]).sort(), ['f.bin', 'g.bin']);
        } finally {
          await second.repl.close();
          await second.pty.close();
        }
      });
    }

    test('cut half-way through a new file: no file, and nothing left once the folder is written', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mpy-powercut-'));
      dirs.push(dir);
      const image = join(dir, 'flash.img');
      const fresh = new Uint8Array(randomBytes(24_000));
      const first = await boot(fs, image);
      await first.board.mkdir('/lib');
      await first.board.writeFile('/lib/f.bin', fresh.slice(0, 100));
      assert.equal(await cutDuring(first, '/lib/n.bin', fresh, 0.5), 'cut');

      const second = await boot(fs, image);
      try {
        // no n.bin, not even an empty one, for the board's own code to find
        const left = (await second.repl.eval("__import__('os').listdir('/lib')")) as string[];
        assert.ok(!left.includes('n.bin'), `the board sees ${left.join(', ')}`);
        assert.deepEqual(
          (await second.board.listDir('/lib')).map((e) => e.name),
          ['f.bin'],
        );
        await second.board.writeFile('/lib/g.bin', fresh.slice(0, 10));
        const raw = await second.repl.eval("__import__('os').listdir('/lib')");
        assert.deepEqual((raw as string[]).sort(), ['f.bin', 'g.bin']);
      } finally {
        await second.repl.close();
        await second.pty.close();
      }
    });

    test('a cut upload leaves the computer a note, and the next command of any kind sweeps', async () => {
      const { image, notes } = workDir();
      const old = new Uint8Array(randomBytes(3000));
      const first = await boot(fs, image);
      const journal = new PendingWrites(first.pty.path, notes);
      const board = { ...first, board: new Board(first.repl, { journal }) };
      await board.board.mkdir('/lib');
      await board.board.writeFile('/lib/f.bin', old);
      assert.deepEqual(journal.left(), [], 'a write that ended takes its note away');
      assert.equal(await cutDuring(board, '/lib/f.bin', randomBytes(24_000), 0.5), 'cut');
      assert.deepEqual(journal.left(), ['/lib/']);

      // the board comes back (on the same port, as a USB board does: the note moves with it)
      const second = await boot(fs, image);
      // what the cut left on the flash depends on how far FAT got: a temp file, as a cut leaves
      await second.repl.exec("f=open('/lib/.f.bin.mpy-tmp','wb')\nf.write(b'half')\nf.close()");
      await second.repl.close();
      renameSync(
        join(notes, encodeURIComponent(first.pty.path)),
        join(notes, encodeURIComponent(second.pty.path)),
      );
      try {
        const run = await cliWithNotes(notes, second.pty.path, 'exec', 'print(6*7)');
        assert.equal(run.stdout.toString().trim(), '42', run.stderr);
        assert.deepEqual(await listRaw(second.pty.path), ['f.bin']);
        assert.deepEqual(new PendingWrites(second.pty.path, notes).left(), [], 'note dropped');
      } finally {
        await second.pty.close();
      }
    });

    test('a replace cut between its two renames is rolled back by the next command', async () => {
      const { image, notes } = workDir();
      const first = await boot(fs, image);
      await first.board.mkdir('/lib');
      await first.board.writeFile('/lib/main.py', new TextEncoder().encode('old = 1\n'));
      // the state a power cut leaves there: the old file moved aside, the verified new one in
      // its temp file, no main.py (the board would boot without it)
      await first.repl.exec(
        "import os\nos.rename('/lib/main.py','/lib/.main.py.mpy-old')\n" +
          "f=open('/lib/.main.py.mpy-tmp','wb')\nf.write(b'new = 1\\n')\nf.close()",
      );
      await first.repl.close();
      await first.pty.close();

      const second = await boot(fs, image);
      await second.repl.close();
      new PendingWrites(second.pty.path, notes).begin(['/lib/']);
      try {
        const run = await cliWithNotes(notes, second.pty.path, 'ls', ':/');
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(await listRaw(second.pty.path), ['main.py']);
        const cat = await cliWithNotes(notes, second.pty.path, 'cat', ':/lib/main.py');
        assert.equal(cat.stdout.toString(), 'old = 1\n');
      } finally {
        await second.pty.close();
      }
    });
  });
}

/** A folder of the test's own: the flash image and the computer's notes of writes. */
function workDir(): { image: string; notes: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-powercut-'));
  dirs.push(dir);
  return { image: join(dir, 'flash.img'), notes: join(dir, 'pending') };
}

/** `mpy -d PORT ...args` as its own process, with its notes of writes in `notes`. */
async function cliWithNotes(notes: string, port: string, ...args: string[]) {
  const suite = process.env.MPY_PENDING_DIR;
  process.env.MPY_PENDING_DIR = notes;
  try {
    return await runBin('-d', port, ...args);
  } finally {
    process.env.MPY_PENDING_DIR = suite;
    if (suite === undefined) delete process.env.MPY_PENDING_DIR;
  }
}

/** The board's own listing of /lib, temp files included, over a connection of its own. */
async function listRaw(port: string): Promise<string[]> {
  const repl = await RawRepl.connect(await openSerial(port, { baud: 115200 }));
  try {
    return ((await repl.eval("__import__('os').listdir('/lib')")) as string[]).sort();
  } finally {
    await repl.close();
  }
}
