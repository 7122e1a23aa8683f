// test/fuse/cli.test.ts: `mpy mount` as a user runs it: the built CLI in a child process on the
// virtual board; files appear, Ctrl-C and `fusermount -u` unmount cleanly, a crashed mount is
// reported with its fix.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { isMounted } from '../../src/fuse/mount.js';
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
async function startMount(flash: string, mountpoint: string, ...extra: string[]): Promise<Running> {
  const proc = spawn(process.execPath, [mpy, '-d', `sim:${flash}`, 'mount', mountpoint, ...extra], {
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
