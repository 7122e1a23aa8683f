// test/commands/cp-interrupt.e2e.test.ts: Ctrl-C (SIGINT) to a real `mpy cp` process in the
// middle of a big upload over a pty at 115200 baud (1 MB would take about 90 s): it stops
// within a second with exit 130, the board keeps the old file and no temp file, and the next
// command finds the board usable. On every 115200-baud board kind with binary stdin (the text
// protocol of the others sends small files whole); a download likewise, on the sim (a big file
// is on it in no time).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import {
  boardFacts,
  kindSkip,
  kindsWhere,
  openTestBoard,
  type TestBoard,
} from '../helpers/boards.js';
import { BIN, runBin } from './cli-run.js';

/** Host-to-board bytes after which the upload is surely under way (the helper is ~5 KB). */
const UNDER_WAY = 30_000;

for (const kind of kindsWhere((facts) => facts.baud === 115200 && facts.stdinBuffer)) {
  describe(`Ctrl-C during a transfer (mpy cp, ${kind} at 115200 baud)`, {
    skip: kindSkip(kind),
  }, () => {
    let local: string;
    let t: TestBoard;
    const facts = boardFacts(kind);
    /** A board file to download, where one is quick to put there (the sim's flash folder). */
    const download = facts.sim ? randomBytes(300_000) : undefined;

    before(async () => {
      local = await mkdtemp(join(tmpdir(), 'mpy-cp-int-'));
      t = await openTestBoard(kind, download ? { preload: { 'dl.bin': download } } : {});
      // Random bytes: deflate does not shrink them, so all would cross the wire. Half the
      // flash at most: the old file and the temp file must both fit.
      const size = Math.min(1024 * 1024, t.facts.flashBytes / 2);
      await writeFile(join(local, 'big.bin'), randomBytes(size));
      await new Board(t.repl).writeFile('/big.bin', new TextEncoder().encode('the old file\n'));
      await t.repl.close(); // the port is mpy's now
    });
    after(async () => {
      await t?.close();
      if (local) await rm(local, { recursive: true, force: true });
    });

    /** `mpy cp FROM TO`, interrupted once the transfer is under way (`way`: the direction the
     * bytes go); the exit code and how long after SIGINT. */
    async function interruptedCopy(
      from: string,
      to: string,
      way: 'hostToBoard' | 'boardToHost' = 'hostToBoard',
    ): Promise<{ code: number | null; ms: number }> {
      const child = spawn(process.execPath, [BIN, '-d', t.ptyPath!, 'cp', from, to], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      let exited = false;
      const exit = once(child, 'exit').finally(() => {
        exited = true;
      });
      // The pty relay counts bytes but cannot say when a count is reached: ask it.
      const start = (await t.counters())[way];
      while ((await t.counters())[way] - start < UNDER_WAY) {
        if (exited) assert.fail(`mpy cp ended before the upload was under way: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const sigint = performance.now();
      child.kill('SIGINT');
      const [code] = await exit;
      return { code: code as number | null, ms: performance.now() - sigint };
    }

    /** The board's own listing of `/`, temp names included (`ls` never shows them). */
    async function boardNames(): Promise<string[]> {
      const run = await runBin('-d', t.ptyPath!, 'exec', "import os\nprint(os.listdir('/'))");
      assert.equal(run.code, 0, run.stderr);
      return [...run.stdout.toString().matchAll(/'([^']*)'/g)].map((m) => m[1]!).sort();
    }

    test('an existing file: exit 130 within 1 s, the old content kept, ls works next', async () => {
      const { code, ms } = await interruptedCopy(join(local, 'big.bin'), ':big.bin');
      assert.equal(code, 130);
      assert.ok(ms < 1000, `exit ${ms.toFixed(0)} ms after SIGINT`);
      const ls = await runBin('-d', t.ptyPath!, 'ls');
      assert.equal(ls.code, 0, ls.stderr);
      assert.match(ls.stdout.toString(), /^ +13 big\.bin$/m);
      const cat = await runBin('-d', t.ptyPath!, 'cat', ':big.bin');
      assert.equal(cat.stdout.toString(), 'the old file\n');
      assert.deepEqual(await boardNames(), download ? ['big.bin', 'dl.bin'] : ['big.bin']);
    });

    test('a new file: it does not appear, not even empty', async () => {
      const { code, ms } = await interruptedCopy(join(local, 'big.bin'), ':new.bin');
      assert.equal(code, 130);
      assert.ok(ms < 1000, `exit ${ms.toFixed(0)} ms after SIGINT`);
      assert.deepEqual(await boardNames(), download ? ['big.bin', 'dl.bin'] : ['big.bin']);
    });

    test('a download: exit 130 within 1 s, no local file, the board usable', {
      skip: !download && 'no quick way to put a big file on this board',
    }, async () => {
      const to = join(local, 'dl.bin');
      const { code, ms } = await interruptedCopy(':dl.bin', to, 'boardToHost');
      assert.equal(code, 130);
      assert.ok(ms < 1000, `exit ${ms.toFixed(0)} ms after SIGINT`);
      await assert.rejects(stat(to), { code: 'ENOENT' });
      const ls = await runBin('-d', t.ptyPath!, 'ls');
      assert.equal(ls.code, 0, ls.stderr);
      assert.match(ls.stdout.toString(), /^ +300000 dl\.bin$/m);
    });
  });
}
