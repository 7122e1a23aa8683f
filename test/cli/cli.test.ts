// test/cli/cli.test.ts: the built `bin/mpy.js` as a user runs it: output, chaining, help and
// error text (temp paths replaced by a token), exit codes, Ctrl-C, the terminal, `mpy sim`.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/mpy.js', import.meta.url));

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mpy-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Start mpy; `env` adds to (and MPY_DEVICE is cleared from) the environment. */
function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  const { MPY_DEVICE: _, ...base } = process.env;
  return spawn(process.execPath, [BIN, ...args], {
    env: { ...base, COLUMNS: '100', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Run to the end; temp paths in the output become `<TMP>`. */
function finish(child: ChildProcess): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const clean = (s: string) => s.split(dir).join('<TMP>');
      resolve({ code, stdout: clean(stdout), stderr: clean(stderr) });
    });
  });
}

function mpy(args: string[], env?: Record<string, string>): Promise<Result> {
  const child = start(args, env);
  child.stdin!.end();
  return finish(child);
}

/** Resolves when `stream` has printed text matching `pattern`. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  let seen = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        stream.off('data', onData);
        resolve(match[0]);
      }
    };
    stream.on('data', onData);
  });
}

const sim = () => `sim:${dir}/flash`;

test('exec on the virtual board prints 42', async () => {
  const result = await mpy(['-d', sim(), 'exec', 'print(6*7)']);
  assert.deepEqual(result, { code: 0, stdout: '42\r\n', stderr: '' });
});

test('MPY_DEVICE picks the device; chained commands share one session', async () => {
  // eval prints the value as mpremote does (print(EXPR)), in the board's own line ends
  const result = await mpy(
    ['exec', 'x = 5', '+', 'eval', 'x * 2', '+', 'eval', "'a\\'b'", 'eval', "repr('c')"],
    { MPY_DEVICE: sim() },
  );
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, "10\r\na'b\r\n'c'\r\n");
  assert.equal(result.code, 0);
});

test('run streams a local file; a Python error prints its traceback once and exits 1', async () => {
  const file = join(dir, 'prog.py');
  await writeFile(file, "print('from file')\nraise ValueError('bad value')\n");
  const result = await mpy(['-d', sim(), 'run', file]);
  assert.equal(result.stdout, 'from file\r\n');
  assert.match(result.stderr, /^Traceback \(most recent call last\):\n/);
  assert.match(result.stderr, /ValueError: bad value\n$/);
  assert.doesNotMatch(result.stderr, /mpy:/);
  assert.equal(result.code, 1);
});

test('reset: soft keeps the session, --hard restarts the board and reconnects', async () => {
  const soft = await mpy([
    '-d',
    sim(),
    'exec',
    'a = 1',
    '+',
    'reset',
    '+',
    'eval',
    "'a' in globals()",
  ]);
  assert.deepEqual(soft, { code: 0, stdout: 'False\r\n', stderr: '' });
  const hard = await mpy([
    '-d',
    sim(),
    'exec',
    'b = 1',
    '+',
    'reset',
    '--hard',
    '+',
    'eval',
    "'b' in globals()",
  ]);
  assert.deepEqual(hard, { code: 0, stdout: 'False\r\n', stderr: '' });
});

test('run --no-follow returns while the program keeps running', async () => {
  const file = join(dir, 'forever.py');
  await writeFile(file, "import time\nprint('started')\nwhile True:\n time.sleep(1)\n");
  const started = Date.now();
  const result = await mpy(['-d', sim(), 'run', '--no-follow', file]);
  assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
  assert.ok(Date.now() - started < 5000);
});

test('help lists the global options and every command', async () => {
  const result = await mpy(['--help']);
  assert.equal(result.code, 0);
  // Column widths depend on the longest command name in the table, so compare the text with
  // wrapped lines joined and padding collapsed.
  const head = result.stdout
    .slice(0, result.stdout.indexOf('Commands:'))
    .replace(/\n {10,}/g, ' ')
    .replace(/ {2,}/g, '  ');
  assert.equal(
    head,
    `Usage: mpy [options] COMMAND [ARGS] [+ COMMAND [ARGS]]...

Work on a MicroPython board through its raw REPL.

Options:
  -d, --device <device>  auto, a port (/dev/ttyACM0, a0, u0, COM3), socket://HOST:PORT, ws://HOST[:PORT] (WebREPL), sim or sim:DIR (env MPY_DEVICE); several boards: a0,a1 or -d repeated, a glob (/dev/ttyACM*), all (default: "auto")
  -b, --baud <rate>  serial speed (default: 115200)
  --password <pw>  WebREPL password (env MPY_WEBREPL_PASSWORD; asked for on a terminal)
  --dtr <on|off>  DTR level after opening (default: off, on for native USB boards)
  --rts <on|off>  RTS level after opening (default: off)
  --soft-reset  soft-reset the board after connecting (clean state, main.py not run; resume skips it)
  --debug  show stack traces
  -V, --version  output the version number
  -h, --help  display help for command

`,
  );
  for (const name of ['exec', 'eval', 'run', 'repl', 'reset', 'connect', 'edit', 'rtc', 'devs']) {
    assert.match(result.stdout, new RegExp(`\\n  ${name} `), name);
  }
  assert.match(result.stdout, /Commands chain with \+/);
});

test('one-line errors with their exit codes', async () => {
  const missing = await mpy(['-d', join(dir, 'ttyNOPE'), 'exec', 'print(1)']);
  assert.deepEqual(missing, {
    code: 2,
    stdout: '',
    stderr: 'mpy: no such port <TMP>/ttyNOPE (see `mpy devs`)\n',
  });
  const refused = await mpy(['-d', 'socket://127.0.0.1:1', 'exec', '1']);
  assert.deepEqual(refused, {
    code: 2,
    stdout: '',
    stderr: 'mpy: cannot connect to socket://127.0.0.1:1: connection refused\n',
  });
  const unknown = await mpy(['frob']);
  assert.deepEqual(unknown, {
    code: 64,
    stdout: '',
    stderr: 'mpy: unknown command frob (see mpy --help)\n',
  });
  const noCode = await mpy(['exec']);
  assert.equal(noCode.stderr, "mpy: missing required argument 'code' (see mpy --help)\n");
  assert.equal(noCode.code, 64);
  const badOption = await mpy(['--dtr', 'maybe', 'exec', '1']);
  assert.equal(badOption.stderr, 'mpy: --dtr takes on or off, not maybe\n');
  assert.equal(badOption.code, 64);
  for (const rate of ['abc', '0', '-5', '9600.5']) {
    const badBaud = await mpy(['-b', rate, '-d', sim(), 'exec', '1']);
    assert.deepEqual(badBaud, {
      code: 64,
      stdout: '',
      stderr: `mpy: --baud takes a positive whole number, not ${rate}\n`,
    });
  }
  const notPort = await mpy(['-d', '/etc/passwd', 'exec', '1']);
  assert.deepEqual(notPort, {
    code: 2,
    stdout: '',
    stderr: 'mpy: /etc/passwd is not a serial port (see `mpy devs`)\n',
  });
});

test('a board that never answers (Ctrl-C off, or stuck) is exit 3 with a hint to reset it', {
  skip: process.platform === 'win32',
}, async () => {
  // a "board" that takes every byte and says nothing, as one whose code ignores Ctrl-C
  const result = await mpy(['-d', 'exec:cat >/dev/null', 'exec', 'print(1)']);
  assert.deepEqual(result, {
    code: 3,
    stdout: '',
    stderr:
      'mpy: no raw REPL prompt from exec:cat >/dev/null within 10000 ms (it sent nothing); ' +
      'the board ignores Ctrl-C or is stuck: reset it (button or power) and try again\n',
  });
});

test('Ctrl-C during exec interrupts the board and exits 130', async () => {
  const child = start([
    '-d',
    sim(),
    'exec',
    "import time\nprint('go')\nwhile True:\n time.sleep(0.01)",
  ]);
  const done = finish(child);
  await waitFor(child.stdout!, /go/);
  const started = Date.now();
  child.kill('SIGINT');
  const result = await done;
  assert.equal(result.code, 130);
  assert.match(result.stderr, /KeyboardInterrupt/);
  assert.ok(Date.now() - started < 3000);
});

test('repl relays keystrokes and output until Ctrl-X', async () => {
  const child = start(['-d', sim(), 'repl']);
  const done = finish(child);
  await waitFor(child.stderr!, /Ctrl-X to leave/);
  child.stdin!.write('print(40 + 2)\r');
  await waitFor(child.stdout!, /\n42\r\n/);
  child.stdin!.write('\x18');
  const result = await done;
  assert.equal(result.code, 0);
  assert.match(result.stdout, /MicroPython v/);
});

test('with no command and piped input, mpy is the repl and waits for the last answer', async () => {
  const child = start(['-d', sim()]);
  child.stdin!.end('print(6*7)\r');
  const result = await finish(child);
  assert.equal(result.code, 0);
  assert.match(result.stdout, />>> print\(6\*7\)\r\n42\r\n>>> $/);
});

test('mpy sim --tcp serves a board another mpy can use; Ctrl-C stops it', async () => {
  const server = start(['sim', '--tcp', '0', '--flash', join(dir, 'tcp-flash')]);
  const done = finish(server);
  const url = await waitFor(server.stdout!, /socket:\/\/127\.0\.0\.1:\d+/);
  const result = await mpy(['-d', url, 'exec', 'print(1 + 1)']);
  assert.deepEqual(result, { code: 0, stdout: '2\r\n', stderr: '' });
  server.kill('SIGINT');
  assert.equal((await done).code, 0);
});

test('devs runs without udevadm', async () => {
  const result = await mpy(['devs']);
  assert.equal(result.code, 0);
});
