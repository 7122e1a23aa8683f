// test/fuse/cli.test.ts: `mpy mount` as a user runs it: the built CLI in a child process on the
// virtual board; files appear, Ctrl-C and `fusermount -u` unmount cleanly, a crashed mount is
// reported with its fix.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Board } from '../../src/board/board.js';
import { isMounted } from '../../src/fuse/mount.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { servePty, VirtualBoard } from '../../src/sim/index.js';
import { fuseUnavailable } from './harness.js';

const skip = await fuseUnavailable();
const run = promisify(execFile);
const mpy = new URL('../../../bin/mpy.js', import.meta.url).pathname;

interface Running {
  proc: ChildProcess;
  stderr(): string;
  exit: Promise<number | null>;
}

/** Start `mpy -d sim:FLASH mount MNT` and wait for its "mounted" line. */
function startMount(flash: string, mountpoint: string, ...extra: string[]): Promise<Running> {
  return startMountOn(`sim:${flash}`, mountpoint, ...extra);
}

/** Start `mpy -d DEVICE mount MNT` and wait for its "mounted" line. */
async function startMountOn(
  device: string,
  mountpoint: string,
  ...extra: string[]
): Promise<Running> {
  const proc = spawn(process.execPath, [mpy, '-d', device, 'mount', mountpoint, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.setEncoding('utf8');
  const exit = once(proc, 'exit').then(([code]) => code as number | null);
  await new Promise<void>((done, fail) => {
    proc.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('mounted the board')) done();
    });
    void exit.then((code) => fail(new Error(`mpy mount exited ${code}: ${stderr}`)));
  });
  return { proc, stderr: () => stderr, exit };
}

/** Resolves once the child's stderr matches `pattern` (fails after `ms`). */
function stderrShows(mount: Running, pattern: RegExp, ms = 30_000): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      stop();
      fail(new Error(`no ${pattern} in mpy mount's stderr:\n${mount.stderr()}`));
    }, ms);
    const check = () => {
      if (!pattern.test(mount.stderr())) return;
      stop();
      done();
    };
    const stop = () => {
      clearTimeout(timer);
      mount.proc.stderr!.off('data', check);
    };
    // listeners run in order: startMountOn's own has added the chunk to stderr() already
    mount.proc.stderr!.on('data', check);
    check();
  });
}

describe('mpy mount (CLI, virtual board)', { skip }, () => {
  const temps: string[] = [];
  const temp = async (name: string) => {
    const dir = await mkdtemp(join(tmpdir(), `mpy-fuse-${name}-`));
    temps.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of temps) {
      await run('fusermount', ['-u', '-z', dir]).catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  });

  it('serves the board until Ctrl-C, then unmounts and ends', async () => {
    const [flash, mnt] = [await temp('flash'), await temp('mnt')];
    const mount = await startMount(flash, mnt);
    await writeFile(join(mnt, 'main.py'), 'print("hi")\n');
    assert.deepEqual(await readdir(mnt), ['main.py']);
    assert.equal(await readFile(join(mnt, 'main.py'), 'utf8'), 'print("hi")\n');
    mount.proc.kill('SIGINT');
    assert.equal(await mount.exit, 0);
    assert.match(mount.stderr(), /unmounted/);
    assert.equal(await isMounted(mnt), false);
    // The file is on the board's flash: a second session sees it.
    const again = await startMount(flash, mnt, '--ro');
    assert.equal(await readFile(join(mnt, 'main.py'), 'utf8'), 'print("hi")\n');
    await assert.rejects(writeFile(join(mnt, 'x.py'), 'x'), { code: 'EROFS' });
    await run('fusermount', ['-u', mnt]);
    assert.equal(await again.exit, 0);
    assert.match(again.stderr(), /unmounted .*from outside/);
  });

  it('a pulled cable: reconnects once plugged back in (cache dropped), exits 2 when it stays out', async () => {
    const [flash, mnt, links] = [await temp('flash'), await temp('mnt'), await temp('dev')];
    await writeFile(join(flash, 'main.py'), 'v = 1\n');
    const board = await VirtualBoard.start({ flashDir: flash });
    try {
      // A stable device name for the board, as /dev/serial/by-id gives a re-plugged adapter:
      // each plug-in is a new pty, the link follows it.
      const device = join(links, 'board');
      const plugIn = async () => {
        const pty = await servePty(board);
        await symlink(pty.path, `${device}.new`);
        await rename(`${device}.new`, device);
        return pty;
      };
      // Pulled out: the pty goes and so does its name, as udev removes the node. A link left
      // to the old pty could come to name another test's board (pty numbers are reused) and
      // the reconnecting mount would take that board.
      const unplug = async (pty: { closed: Promise<unknown> }) => {
        board.cutLink();
        await pty.closed;
        await rm(device, { force: true });
      };
      const first = await plugIn();
      const mount = await startMountOn(device, mnt);
      assert.equal(await readFile(join(mnt, 'main.py'), 'utf8'), 'v = 1\n');
      assert.deepEqual(await readdir(mnt), ['main.py']);

      await unplug(first);
      await stderrShows(mount, /mount: board lost \(.*\), reconnecting\n/);
      // While it is out, the board's files change (its own program, another tool).
      const other = await RawRepl.connect(board.connect());
      await new Board(other).writeFile('/main.py', new TextEncoder().encode('v = 2\n'));
      await new Board(other).writeFile('/new.py', new TextEncoder().encode('n = 1\n'));
      await other.close();
      const pty = await plugIn();
      await stderrShows(mount, /mount: board back/);
      assert.equal(await readFile(join(mnt, 'main.py'), 'utf8'), 'v = 2\n');
      assert.deepEqual((await readdir(mnt)).sort(), ['main.py', 'new.py']);
      await writeFile(join(mnt, 'after.py'), 'a = 1\n');
      assert.equal(await readFile(join(mnt, 'after.py'), 'utf8'), 'a = 1\n');

      // Out for good: one line, exit 2, the mount gone (after the 20 s the board is given).
      await unplug(pty);
      assert.equal(await mount.exit, 2, mount.stderr());
      const last = mount.stderr().trimEnd().split('\n').at(-1)!;
      assert.match(
        last,
        new RegExp(
          `^mpy: mount: the board did not come back within 20 s \\(.+\\); unmounted ${mnt}$`,
        ),
      );
      assert.equal(await isMounted(mnt), false);
      assert.equal(await readFile(join(flash, 'after.py'), 'utf8'), 'a = 1\n');
    } finally {
      await board.stop();
    }
  });

  it('reports a stale mount left by a crash and how to clear it', async () => {
    const [flash, mnt] = [await temp('flash'), await temp('mnt')];
    const mount = await startMount(flash, mnt);
    mount.proc.kill('SIGKILL');
    await mount.exit;
    const result = await run(process.execPath, [mpy, '-d', `sim:${flash}`, 'mount', mnt]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal((result as { code: number }).code, 64);
    assert.match((result as { stderr: string }).stderr, new RegExp(`fusermount -u ${mnt}`));
  });
});
