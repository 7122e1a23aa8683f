// test/commands/local-file.test.ts: files downloaded onto the computer, as a user meets them: a
// target that is a device, a pipe or stdout is written as it is and never read; a download that
// fails half-way (the disk full, here a file-size limit) leaves the old file whole; links,
// permissions and long names survive the temp file; a backslash in a local name is a character.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LocalSide } from '../../src/commands/copy-sides.js';
import { localTempName, writeLocalFile } from '../../src/commands/local-file.js';
import { BIN, type CliResult, runMpy } from './cli-run.js';

const posix = process.platform !== 'win32';
let root: string;
let flash: string;
const content = new Uint8Array(randomBytes(20_000));

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mpy-local-'));
  flash = join(root, 'flash');
  await mkdir(join(flash, 'tree'), { recursive: true });
  await writeFile(join(flash, 'f.bin'), content);
  await writeFile(join(flash, 'tree', 'a.txt'), 'small\n');
  await writeFile(join(flash, 'tree', 'big.bin'), randomBytes(64 * 1024));
});
after(() => rm(root, { recursive: true, force: true }));

/** What is in `folder` besides `expected`: temp files a failed write left behind. */
async function strays(folder: string, expected: string[]): Promise<string[]> {
  return (await readdir(folder)).filter((name) => !expected.includes(name));
}

test('cp :f /dev/stdout prints the file after the cp line, as mpremote does', {
  skip: !posix,
}, async () => {
  // stdout is a pipe here: reading it first (the up-to-date check) waited forever
  const result = await runChild(['cp', ':f.bin', '/dev/stdout']);
  assert.equal(result.code, 0, result.stderr);
  const head = Buffer.from('cp :f.bin /dev/stdout\n');
  assert.deepEqual(result.stdout, Buffer.concat([head, content]));
});

test('cp :f /dev/full is ENOSPC in one line, without reading /dev/full first', {
  skip: process.platform !== 'linux',
}, async () => {
  // /dev/full reads as endless zeros: the up-to-date check grew to gigabytes
  const result = await runChild(['cp', ':f.bin', '/dev/full']);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, 'mpy: cp: /dev/full: No space left on device.\n');
});

test('cp into a named pipe streams the file to its reader', { skip: !posix }, async () => {
  const fifo = join(root, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const chunks: Buffer[] = [];
  const read = new Promise<void>((resolve, reject) => {
    createReadStream(fifo)
      .on('data', (chunk) => chunks.push(Buffer.from(chunk)))
      .on('end', resolve)
      .on('error', reject);
  });
  const result = await runMpy(flash, 'cp', ':f.bin', fifo);
  assert.equal(result.code, 0, result.stderr);
  await read;
  assert.deepEqual(new Uint8Array(Buffer.concat(chunks)), content);
  assert.ok((await stat(fifo)).isFIFO(), 'the pipe was replaced by a file');
});

/** Longest run of one mpy process here: a build without the fixes hangs or eats memory, and a
 * test that timed out would leave it running. */
const CHILD_MS = 30_000;

/**
 * `mpy -d sim:FLASH ARGS` in its own process, killed after CHILD_MS. `fileLimitKb`: the shell's
 * file-size limit (`ulimit -f`), past which writes fail with EFBIG as a full disk fails them.
 */
function runChild(
  args: string[],
  options: { cwd?: string; fileLimitKb?: number } = {},
): Promise<CliResult> {
  const { MPY_DEVICE: _, ...env } = process.env;
  const argv = [BIN, '-d', `sim:${flash}`, ...args];
  const limit = options.fileLimitKb;
  const child = limit
    ? spawn('sh', ['-c', `ulimit -f ${limit} && exec "$0" "$@"`, process.execPath, ...argv], {
        cwd: options.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: CHILD_MS,
      })
    : spawn(process.execPath, argv, {
        cwd: options.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: CHILD_MS,
      });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve) =>
    child.on('close', (code) =>
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString(),
      }),
    ),
  );
}

test('a download that fails half-way keeps the old local file and leaves no temp file', {
  skip: !posix,
}, async () => {
  const here = join(root, 'limited');
  await mkdir(join(here, 'tree'), { recursive: true });
  const old = new Uint8Array(randomBytes(8 * 1024));
  await writeFile(join(here, 'g.bin'), old);
  // 64 KB over an 8 KB file with room for 12 KB: it used to end as a 12 KB prefix of the new
  const one = await runChild(['cp', ':tree/big.bin', 'g.bin'], { cwd: here, fileLimitKb: 12 });
  assert.equal(one.code, 1);
  assert.equal(one.stderr, 'mpy: cp: g.bin: File too large.\n');
  assert.deepEqual(new Uint8Array(await readFile(join(here, 'g.bin'))), old);
  assert.deepEqual(await strays(here, ['g.bin', 'tree']), []);
  // cp -r: what fits arrives, the file that does not stays as it was
  await writeFile(join(here, 'tree', 'big.bin'), old);
  const tree = await runChild(['cp', '-r', ':tree', '.'], { cwd: here, fileLimitKb: 12 });
  assert.equal(tree.code, 1);
  assert.match(tree.stderr, /^mpy: cp: .*big\.bin: File too large\.\n$/);
  assert.equal(await readFile(join(here, 'tree', 'a.txt'), 'utf8'), 'small\n');
  assert.deepEqual(new Uint8Array(await readFile(join(here, 'tree', 'big.bin'))), old);
  assert.deepEqual(await strays(join(here, 'tree'), ['a.txt', 'big.bin']), []);
});

test('the replaced file keeps its permissions, a link stays a link', { skip: !posix }, async () => {
  const folder = await mkdtemp(join(root, 'w-'));
  const script = join(folder, 'run.sh');
  await writeFile(script, 'old');
  await chmod(script, 0o750);
  await writeLocalFile(script, new TextEncoder().encode('new'));
  assert.equal(await readFile(script, 'utf8'), 'new');
  assert.equal((await stat(script)).mode & 0o777, 0o750);
  const link = join(folder, 'link.sh');
  await symlink('run.sh', link);
  await writeLocalFile(link, new TextEncoder().encode('through the link'));
  assert.equal(await readlink(link), 'run.sh');
  assert.equal(await readFile(script, 'utf8'), 'through the link');
  assert.deepEqual(await strays(folder, ['run.sh', 'link.sh']), []);
});

test('a name near the length limit gets a short temp name', async () => {
  const long = 'n'.repeat(250);
  assert.match(localTempName('main.py'), /^\.main\.py\.mpy-[0-9a-f]{8}$/);
  assert.match(localTempName(long), /^\.mpy-[0-9a-f]{8}$/);
  const folder = await mkdtemp(join(root, 'long-'));
  await writeLocalFile(join(folder, long), new TextEncoder().encode('x'));
  assert.equal(await readFile(join(folder, long), 'utf8'), 'x');
});

test('a backslash in a local name is part of the name (POSIX): cp -r takes every file', {
  skip: !posix,
}, async () => {
  const source = join(root, 'odd');
  await mkdir(join(source, 'sub\\dir'), { recursive: true });
  const names = ['back\\slash.txt', 'plain.txt', 'sub\\dir/inner.txt', '\\lead.txt'];
  for (const name of names) await writeFile(join(source, name), name);
  const walked = await new LocalSide().walk(source);
  assert.deepEqual(walked, {
    folders: ['sub\\dir'],
    files: ['\\lead.txt', 'back\\slash.txt', 'plain.txt', 'sub\\dir/inner.txt'],
  });
  const up = await runMpy(flash, 'cp', '-r', source, ':');
  assert.equal(up.code, 0, up.stderr);
  const back = join(root, 'odd-back');
  const down = await runMpy(flash, 'cp', '-r', ':odd', back);
  assert.equal(down.code, 0, down.stderr);
  for (const name of names) assert.equal(await readFile(join(back, name), 'utf8'), name);
});
