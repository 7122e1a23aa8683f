// test/fuse/stale.test.ts: a mount whose process died is detected and the user told how to
// clear it; a signalled mount process unmounts cleanly and exits.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { UsageError } from '../../src/errors.js';
import { checkMountpoint, isMounted } from '../../src/fuse/mount.js';
import { fuseUnavailable } from './harness.js';

const skip = await fuseUnavailable();
const run = promisify(execFile);
const child = new URL('./mount-child.js', import.meta.url).pathname;

/** Start the mount child on `dir` and wait for it to say it is mounted. */
async function startChild(dir: string, ...extra: string[]) {
  const proc = spawn(process.execPath, [child, dir, ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  proc.stdout.setEncoding('utf8');
  // Listen for the end at once: a child told to exit may be gone before "mounted" is read.
  const exited = once(proc, 'exit') as Promise<[number | null, string | null]>;
  await new Promise<void>((done, fail) => {
    proc.stdout.on('data', (text: string) => {
      output += text;
      if (output.includes('mounted\n')) done();
    });
    void exited.then(([code]) => {
      if (!output.includes('mounted\n')) fail(new Error(`mount child exited ${code} early`));
    });
  });
  return { proc, exited, output: () => output };
}

describe('mount lifecycle across processes', { skip }, () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mpy-fuse-stale-'));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of dirs) {
      await run('fusermount', ['-u', '-z', dir]).catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  });

  it('SIGINT unmounts cleanly and the process exits', async () => {
    const dir = await tempDir();
    const { proc, exited, output } = await startChild(dir);
    assert.deepEqual(await readdir(dir), ['hello.txt']);
    proc.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 0);
    assert.equal(output(), 'mounted\nunmount\n');
    assert.equal(await isMounted(dir), false);
  });

  it('process.exit while mounted detaches the mount instead of leaving it stale', async () => {
    const dir = await tempDir();
    const { exited } = await startChild(dir, 'exit');
    assert.deepEqual(await exited, [3, null]);
    assert.equal(await isMounted(dir), false);
    await checkMountpoint(dir);
  });

  it('a mount left by a killed process is reported with the fusermount -u fix', async () => {
    const dir = await tempDir();
    const { proc, exited } = await startChild(dir);
    proc.kill('SIGKILL');
    await exited;
    await assert.rejects(checkMountpoint(dir), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /stale mount/);
      assert.ok(error.message.includes(`fusermount -u ${dir}`));
      return true;
    });
    await run('fusermount', ['-u', dir]);
    await checkMountpoint(dir);
  });

  it('refuses a missing folder and a folder that is already mounted', async () => {
    await assert.rejects(checkMountpoint('/nonexistent/mpy-mnt'), /does not exist/);
    const dir = await tempDir();
    const { proc, exited } = await startChild(dir);
    await assert.rejects(checkMountpoint(dir), /already a mountpoint/);
    proc.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null]);
  });

  it("refuses a folder with files, naming mpremote's mount for it", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'main.py'), 'print(1)\n');
    await assert.rejects(
      checkMountpoint(dir),
      (error: Error) =>
        error instanceof UsageError && error.message.includes(`mpy mount-local ${dir}`),
    );
  });
});
