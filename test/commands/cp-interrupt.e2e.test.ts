// test/commands/cp-interrupt.e2e.test.ts: Ctrl-C (SIGINT) to a real `mpy cp` process in the
// middle of a 1 MB upload to the virtual board over a pty at 115200 baud (about 90 s of
// transfer): it stops within a second with exit 130, the board keeps the old file and no temp
// file, and the next command finds the board usable.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type PtyServer, servePty, VirtualBoard } from '../../src/sim/index.js';
import { BIN, runBin } from './cli-run.js';

/** Host-to-board bytes after which the upload is surely under way (the helper is ~5 KB). */
const UNDER_WAY = 30_000;

describe('Ctrl-C during an upload (mpy cp, sim over a pty at 115200 baud)', () => {
  let flash: string;
  let local: string;
  let board: VirtualBoard;
  let pty: PtyServer;
  /** Resolves once the host has sent `bytes` more bytes than when it was asked. */
  let sentMore: (bytes: number) => Promise<void>;

  before(async () => {
    flash = await mkdtemp(join(tmpdir(), 'mpy-cp-int-flash-'));
    local = await mkdtemp(join(tmpdir(), 'mpy-cp-int-local-'));
    // 1 MB of random bytes: deflate does not shrink it, so all of it would cross the wire.
    await writeFile(join(local, 'big.bin'), randomBytes(1024 * 1024));
    // on the flash before the board starts: it reads its folder at power-on
    await writeFile(join(flash, 'big.bin'), 'the old file\n');
    const waits: { at: number; reached: () => void }[] = [];
    let sent = 0;
    board = await VirtualBoard.start({
      flashDir: flash,
      baud: 115200,
      // every chunk that reaches the board is traced as `> hex bytes`
      trace: (line) => {
        if (!line.startsWith('> ')) return;
        sent += (line.length - 1) / 3;
        for (const wait of waits.filter((w) => sent >= w.at)) {
          waits.splice(waits.indexOf(wait), 1);
          wait.reached();
        }
      },
    });
    pty = await servePty(board);
    sentMore = (bytes) => new Promise((reached) => waits.push({ at: sent + bytes, reached }));
  });
  after(async () => {
    await pty?.close();
    await board?.stop();
    for (const dir of [flash, local]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `mpy cp big.bin :NAME`, interrupted once the upload is under way; the exit and its delay. */
  async function interruptedCopy(name: string): Promise<{ code: number | null; ms: number }> {
    const child = spawn(
      process.execPath,
      [BIN, '-d', pty.path, 'cp', join(local, 'big.bin'), `:${name}`],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, 'exit');
    await Promise.race([
      sentMore(UNDER_WAY),
      exited.then(() => assert.fail(`mpy cp ended before the upload was under way: ${stderr}`)),
    ]);
    const sigint = performance.now();
    child.kill('SIGINT');
    const [code] = await exited;
    return { code: code as number | null, ms: performance.now() - sigint };
  }

  test('an existing file: exit 130 within 1 s, the old content kept, ls works next', async () => {
    const { code, ms } = await interruptedCopy('big.bin');
    assert.equal(code, 130);
    assert.ok(ms < 1000, `exit ${ms.toFixed(0)} ms after SIGINT`);
    assert.equal(await readFile(join(flash, 'big.bin'), 'utf8'), 'the old file\n');
    const ls = await runBin('-d', pty.path, 'ls');
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout.toString(), /^ +13 big\.bin$/m);
    // the board's own folder, temp names included (ls never lists them)
    assert.deepEqual(await readdir(flash), ['big.bin']);
  });

  test('a new file: it does not appear, not even empty', async () => {
    const { code, ms } = await interruptedCopy('new.bin');
    assert.equal(code, 130);
    assert.ok(ms < 1000, `exit ${ms.toFixed(0)} ms after SIGINT`);
    assert.deepEqual(await readdir(flash), ['big.bin']);
    const cat = await runBin('-d', pty.path, 'cat', ':big.bin');
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout.toString(), 'the old file\n');
  });
});
