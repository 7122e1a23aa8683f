// test/cli/mpremote-commands.test.ts: the built `bin/mpy.js` with mpremote's commands against a
// virtual board served over TCP (so state outlives one mpy run): state kept between runs,
// `--soft-reset` and `resume`, `soft-reset`, `disconnect`, `connect`, `exec --no-follow`, `edit`.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/mpy.js', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const { MPY_DEVICE: _, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

let dir: string;
let server: ChildProcess;
let device: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mpy-mpremote-'));
  server = spawn(process.execPath, [BIN, 'sim', '--tcp', '0', '--flash', join(dir, 'flash')], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  device = await new Promise<string>((resolve) => {
    let seen = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /socket:\/\/127\.0\.0\.1:\d+/.exec(seen);
      if (match) resolve(match[0]);
    });
  });
});

after(async () => {
  server.kill('SIGINT');
  await new Promise((resolve) => server.on('close', resolve));
  await rm(dir, { recursive: true, force: true });
});

const mpy = (...args: string[]) => run(['-d', device, ...args]);

test('the board keeps its state between runs; --soft-reset clears it unless resume', async () => {
  assert.equal((await mpy('exec', "a = 'kept'")).code, 0);
  assert.equal((await mpy('eval', 'a')).stdout, 'kept\r\n');
  const cleared = await run(['--soft-reset', '-d', device, 'eval', "'a' in globals()"]);
  assert.equal(cleared.stdout, 'False\r\n');
  await mpy('exec', "a = 'resumed'");
  const resumed = await run(['--soft-reset', '-d', device, 'resume', 'eval', 'a']);
  assert.deepEqual(resumed, { code: 0, stdout: 'resumed\r\n', stderr: '' });
  // mpremote's own test scripts pick the board with connect: resume after it cancels too
  const connected = await run(['--soft-reset', 'connect', device, 'resume', 'eval', 'a']);
  assert.deepEqual(connected, { code: 0, stdout: 'resumed\r\n', stderr: '' });
  const reset = await run(['--soft-reset', 'connect', device, 'eval', "'a' in globals()"]);
  assert.deepEqual(reset, { code: 0, stdout: 'False\r\n', stderr: '' });
});

test('soft-reset, disconnect and connect in one chain', async () => {
  const chain = await mpy('exec', 'b = 1', 'soft-reset', 'eval', "'b' in globals()");
  assert.equal(chain.stdout, 'False\r\n');
  const again = await mpy('exec', 'c = 2', 'disconnect', 'eval', 'c + 1');
  assert.deepEqual(again, { code: 0, stdout: '3\r\n', stderr: '' });
  const connected = await run(['connect', device, 'eval', '6 * 7']);
  assert.deepEqual(connected, { code: 0, stdout: '42\r\n', stderr: '' });
  const shortcut = await run(['a3', 'eval', '1']);
  assert.equal(shortcut.code, 2);
  assert.match(shortcut.stderr, /\/dev\/ttyACM3/);
});

test('exec --no-follow returns while the code runs on', async () => {
  const started = Date.now();
  const result = await mpy('exec', '--no-follow', 'import time\nwhile True:\n time.sleep(1)');
  assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
  assert.ok(Date.now() - started < 5000);
  // the next run interrupts it and finds the board usable
  assert.equal((await mpy('eval', '1 + 1')).stdout, '2\r\n');
});

test('edit runs $EDITOR on a copy and puts the changed file back', async () => {
  await mpy('exec', "open('e.py', 'w').write('x = 1\\n')");
  const edited = await run(['-d', device, 'edit', ':e.py'], { EDITOR: 'sed -i s/1/2/' });
  assert.deepEqual(edited, { code: 0, stdout: 'edit :e.py\n', stderr: '' });
  assert.equal((await mpy('cat', ':e.py')).stdout, 'x = 2\n');
  const append = join(dir, 'append.sh');
  await writeFile(append, 'echo y >> "$1"\n');
  const created = await run(['-d', device, 'edit', 'new.py'], { EDITOR: `sh ${append}` });
  assert.equal(created.code, 0);
  assert.equal((await mpy('cat', 'new.py')).stdout, 'y\n');
  const noEditor = await run(['-d', device, 'edit', 'e.py'], { EDITOR: '' });
  assert.deepEqual([noEditor.code, noEditor.stderr], [1, 'mpy: edit: $EDITOR not set\n']);
});

test('rtc prints the board clock and --set sets it to local time', async () => {
  // the virtual board has no RTC: give its machine module a stand-in that keeps one tuple
  const fake =
    'import machine\nclass R:\n t = (2000, 1, 1, 5, 0, 0, 0, 0)\n' +
    ' def datetime(self, t=None):\n  if t is None:\n   return R.t\n  R.t = t\nmachine.RTC = R';
  const before = await mpy('exec', fake, 'rtc');
  assert.deepEqual(before, { code: 0, stdout: '(2000, 1, 1, 5, 0, 0, 0, 0)\r\n', stderr: '' });
  const set = await mpy('rtc', '--set', 'rtc');
  const year = new Date().getFullYear();
  assert.match(
    set.stdout,
    new RegExp(`^\\(${year}, \\d+, \\d+, [0-6], \\d+, \\d+, \\d+, \\d+\\)\\r\\n$`),
  );
});

test('version, help and the forms mpy refuses', async () => {
  const version = await run(['version']);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.deepEqual(await run(['--version']), version);
  assert.match((await run(['help'])).stdout, /^Usage: mpy /);
  const mount = await run(['-d', device, 'mount', join(dir, 'none'), 'exec', 'import x']);
  assert.equal(mount.code, 64);
  assert.match(mount.stderr, /^mpy: mount: .*none: not a folder\n$/);
  assert.deepEqual(await run(['fs']), {
    code: 64,
    stdout: '',
    stderr: 'mpy: fs: missing command\n',
  });
});

test('tree -s with -h is refused as mpremote refuses it: argparse words and exit 2', async () => {
  const result = await run([
    '-d',
    device,
    'exec',
    "open('ran','w').close()",
    '+',
    'fs',
    'tree',
    '-s',
    '-h',
    ':',
  ]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    'usage: fs [--help] [--recursive | --no-recursive] [--force | --no-force]\n' +
      '          [--verbose | --no-verbose] [--size | --human]\n' +
      '          command path [path ...] ...\n' +
      'fs: error: argument --human/-h: not allowed with argument --size/-s\n',
  );
  // the commands before it ran, as in mpremote, whose chain runs each command as it is parsed
  assert.match((await run(['-d', device, 'ls', ':'])).stdout, / ran\n/);
});

test('mount-local alone ends in the REPL, which imports from the folder; keys typed ahead of a file request are dropped, not read as its answer', async () => {
  const folder = join(dir, 'shared');
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'mod.py'), 'X = 42\n');
  const { MPY_DEVICE: _, ...env } = process.env;
  const child = spawn(process.execPath, [BIN, '-d', device, 'mount-local', folder], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // a board that hangs on a request must fail the test, not keep the run alive
  const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
  let output = '';
  let gone = false;
  const closed = new Promise((resolve) =>
    child.on('close', (code) => {
      gone = true;
      clearTimeout(deadline);
      resolve(code);
    }),
  );
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const seen = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.includes(text)) resolve();
        else if (gone) reject(new Error(`mpy ended before ${JSON.stringify(text)}: ${output}`));
        else setTimeout(check, 10);
      };
      check();
    });
  await seen('>>> ');
  // the import asks for mod.py while the second line is already in the board's stdin
  child.stdin.write('import mod\rprint("typed ahead")\r');
  await seen('import mod\r\n>>> ');
  child.stdin.write('print(mod.X + 1)\r');
  await seen('43');
  child.stdin.write('\x1d');
  assert.equal(await closed, 0);
  assert.doesNotMatch(output, /typed ahead/);
  assert.match(output, /Local directory .*shared is mounted at \/remote/);
});
