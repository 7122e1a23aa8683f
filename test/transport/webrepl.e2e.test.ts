// test/transport/webrepl.e2e.test.ts: WebREPL end to end on the loopback: `mpy -d ws://…`
// against the virtual board served as a WebREPL board (`serveWebrepl`), the board's quirks as
// a client meets them, a link dropped mid-upload, `watch` reconnecting, a mount's `ls -l`.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { Board } from '../../src/board/board.js';
import { main } from '../../src/cli.js';
import { TimeoutError } from '../../src/errors.js';
import { FIRST_ATTEMPT } from '../../src/repl/enter.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { serveWebrepl, VirtualBoard, type WebreplServer } from '../../src/sim/index.js';
import { openWebrepl } from '../../src/transport/webrepl.js';
import { fuseUnavailable, mountForTest } from '../fuse/harness.js';

const BIN = fileURLToPath(new URL('../../../bin/mpy.js', import.meta.url));
const PASSWORD = 'secret';
const noFuse = await fuseUnavailable();

let dir: string;
let flash: string;
let board: VirtualBoard;
let server: WebreplServer;
let url: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mpy-webrepl-'));
  flash = join(dir, 'flash');
  // As `mpy sim --webrepl` does: a socket's buffer, not a UART's, and a little WiFi latency.
  board = await VirtualBoard.start({ flashDir: flash, rxBufferSize: 64 * 1024 });
  server = await serveWebrepl(board, { password: PASSWORD, latencyMs: 5 });
  url = `ws://127.0.0.1:${server.port}`;
});
after(async () => {
  await server.close();
  await board.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Run the CLI in this process; resolves to the exit code and what it printed. */
async function mpy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        add(String(chunk));
        done();
      },
    });
  const code = await main(['node', 'mpy', ...args], {
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: sink((text) => {
      stderr += text;
    }),
  });
  return { code, stdout, stderr };
}

const ws = (...args: string[]) => mpy(['-d', url, '--password', PASSWORD, ...args]);

/** Wait until `check` holds, polling (never a fixed sleep that hopes). */
async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('mpy over WebREPL', () => {
  test('a wrong password is one line and exit 2', async () => {
    const result = await mpy(['-d', url, '--password', 'nope', 'exec', 'print(1)']);
    assert.deepEqual(result, {
      code: 2,
      stdout: '',
      stderr: `mpy: ${url}: access denied (wrong WebREPL password)\n`,
    });
  });

  test('the right password runs code', async () => {
    assert.deepEqual(await ws('exec', 'print(6*7)'), { code: 0, stdout: '42\r\n', stderr: '' });
  });

  test("the password comes from MPY_WEBREPL_PASSWORD too; mpremote's connect takes ws://", async () => {
    process.env.MPY_WEBREPL_PASSWORD = PASSWORD;
    try {
      const result = await mpy(['-d', url, 'exec', 'print(7*6)']);
      assert.deepEqual(result, { code: 0, stdout: '42\r\n', stderr: '' });
      const connected = await mpy(['connect', url, 'exec', 'print(6*7)']);
      assert.deepEqual(connected, { code: 0, stdout: '42\r\n', stderr: '' });
    } finally {
      delete process.env.MPY_WEBREPL_PASSWORD;
    }
  });

  test('a soft reset survives the board closing WebREPL as it reboots', async () => {
    assert.equal((await ws('exec', 'x = 5')).code, 0);
    const result = await ws('--soft-reset', 'exec', "print('x' in globals())");
    assert.deepEqual(result, { code: 0, stdout: 'False\r\n', stderr: '' });
  });

  test('a password longer than the board keeps is refused before connecting', async () => {
    const result = await mpy(['-d', url, '--password', '0123456789', 'exec', '1']);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /at most 9 bytes/);
  });

  test('cp both ways carries every byte value', async () => {
    const every = Buffer.alloc(256 * 16, 0);
    for (let i = 0; i < every.length; i++) every[i] = i % 256;
    const data = Buffer.concat([every, randomBytes(20_000), Buffer.alloc(600, 3)]);
    const local = join(dir, 'all.bin');
    await writeFile(local, data);
    assert.equal((await ws('cp', local, ':all.bin')).code, 0);
    assert.ok(readFileSync(join(flash, 'all.bin')).equals(data), 'board copy differs');
    const back = join(dir, 'back.bin');
    assert.equal((await ws('cp', ':all.bin', back)).code, 0);
    assert.ok(readFileSync(back).equals(data), 'downloaded copy differs');
  });

  test('a link dropped mid-upload leaves the old file and says so', async () => {
    const old = Buffer.from('old content\n');
    const local = join(dir, 'keep.bin');
    await writeFile(local, old);
    assert.equal((await ws('cp', local, ':keep.bin')).code, 0);
    await writeFile(local, randomBytes(40_000));
    // Counted from now: past the login and the helper, inside the payload.
    board.setLink({ cutAfterBytes: 20_000 });
    const result = await ws('cp', local, ':keep.bin');
    board.setLink({ cutAfterBytes: undefined });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^mpy: .*ws:\/\/127\.0\.0\.1:\d+.*closed/m, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.ok(readFileSync(join(flash, 'keep.bin')).equals(old), 'the old file was damaged');
    const after = await ws('exec', 'print(open("keep.bin").read())');
    assert.deepEqual(after, {
      code: 0,
      stdout: 'old content\r\n\r\n',
      stderr: '',
    });
  });

  test('a half-open link (WiFi gone quiet) ends in a timeout, not a hang', async () => {
    const repl = await RawRepl.connect(await openWebrepl(url, { password: PASSWORD }), {
      answerTimeoutMs: 1000,
    });
    try {
      assert.equal(Buffer.from(await repl.exec('print(1)\n')).toString(), '1\r\n');
      server.silence();
      await assert.rejects(repl.exec('print(2)\n'), TimeoutError);
    } finally {
      await repl.close();
    }
  });

  test('the raw-REPL entry goes with the password; the folder comes with the helper', async () => {
    // An earlier connection leaves the helper on the board for the next one to reuse.
    const local = join(dir, 'h.txt');
    await writeFile(local, 'hello');
    assert.equal((await ws('cp', local, ':h.txt')).code, 0);
    const transport = await openWebrepl(url, { password: PASSWORD, afterLogin: FIRST_ATTEMPT });
    assert.deepEqual(transport.sentAtOpen, FIRST_ATTEMPT);
    const repl = await RawRepl.connect(transport);
    try {
      const linkBuffer = transport.bufferedBytes;
      const fresh = new Board(repl, linkBuffer ? { linkBuffer } : {});
      await fresh.capabilities();
      const sent = repl.codeSent;
      assert.equal(await fresh.currentFolder(), '/');
      assert.equal(repl.codeSent, sent, 'no exec of its own for the folder');
      // A program run in between may have changed the folder: then it is asked again.
      const later = new Board(repl, linkBuffer ? { linkBuffer } : {});
      await later.capabilities();
      await repl.exec(
        "import os\ntry:\n os.mkdir('/cwdt')\nexcept OSError:\n pass\nos.chdir('/cwdt')",
      );
      assert.equal(await later.currentFolder(), '/cwdt');
      await repl.exec("os.chdir('/')");
    } finally {
      await repl.close();
    }
  });

  test('mount: ls -l in the mounted board', { skip: noFuse }, async () => {
    await ws('exec', 'open("m.txt","w").write("12345")');
    const repl = await RawRepl.connect(await openWebrepl(url, { password: PASSWORD }));
    const mount = await mountForTest(new Board(repl));
    try {
      const listing = await mount.ok('ls -l');
      assert.match(listing, /^-.* 5 .* m\.txt$/m);
    } finally {
      await mount.close();
      await repl.close();
    }
  });

  test('watch: an edit is synced, and the watch reconnects after the link drops', async () => {
    const folder = await mkdtemp(join(dir, 'watch-'));
    await writeFile(join(folder, 'app.py'), `x = 1\n${'# filler line\n'.repeat(2000)}`);
    const child = spawn(process.execPath, [BIN, '-d', url, 'watch', folder, '--to', ':/w'], {
      env: { ...process.env, MPY_WEBREPL_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const onBoard = () =>
      existsSync(join(flash, 'w', 'app.py'))
        ? readFileSync(join(flash, 'w', 'app.py'), 'utf8')
        : '';
    try {
      await until(() => onBoard().startsWith('x = 1\n'), 'the first sync');
      await writeFile(join(folder, 'app.py'), `x = 2\n${'# filler line\n'.repeat(2000)}`);
      await until(() => onBoard().startsWith('x = 2\n'), 'the edit on the board');
      board.cutLink();
      await until(() => /board lost/.test(log), 'the watch to see the drop');
      await writeFile(join(folder, 'app.py'), `x = 3\n${'# filler line\n'.repeat(2000)}`);
      await until(() => onBoard().startsWith('x = 3\n'), 'the edit after reconnecting');
    } finally {
      await stop(child);
    }
    assert.match(log, /board lost/);
  });
});

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

/** A logged-in `ws` client, for the protocol tests. Retried while the board still holds the
 * previous test's client (it refuses a second one with a bare close). */
async function login(): Promise<{ socket: WebSocket; text: () => string }> {
  for (let attempt = 1; ; attempt++) {
    const socket = new WebSocket(`${url}/`, { perMessageDeflate: false, skipUTF8Validation: true });
    let text = '';
    socket.on('message', (data: Buffer) => {
      text += data.toString('latin1');
      if (text === 'Password: ') socket.send(`${PASSWORD}\r`);
    });
    const refused = new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(true));
      socket.once('open', () => resolve(false));
    });
    if ((await refused) && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    await until(() => text.includes('WebREPL connected'), 'the login');
    return { socket, text: () => text };
  }
}

/** A raw TCP connection; resolves with everything the board sent once it closes or `ms` pass. */
function rawExchange(request: Buffer, ms: number): Promise<{ data: Buffer; closed: boolean }> {
  const socket: Socket = connect(server.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk) => chunks.push(chunk));
  socket.write(request);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), closed: false });
    }, ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(chunks), closed: true });
    });
  });
}

describe('the sim as a WebREPL board', () => {
  test('upgrade headers are compared case-sensitively: lower case gets the HTML page', async () => {
    const request = [
      'GET / HTTP/1.1',
      'Host: 127.0.0.1',
      'connection: upgrade',
      'upgrade: websocket',
      'sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-version: 13',
      '',
      '',
    ].join('\r\n');
    const { data, closed } = await rawExchange(Buffer.from(request), 5000);
    assert.ok(closed);
    assert.match(data.toString(), /^HTTP\/1\.0 200 OK\r\n\r\n<base href=/);
  });

  test('a second client is closed at once and the first is told', async () => {
    const first = await login();
    try {
      const { data, closed } = await rawExchange(Buffer.from('GET / HTTP/1.1\r\n'), 5000);
      assert.deepEqual({ data: data.length, closed }, { data: 0, closed: true });
      await until(() => /Concurrent WebREPL connection from .* rejected/.test(first.text()), 'it');
    } finally {
      first.socket.terminate();
    }
  });

  test('pings get no pong; a close with a status gets an empty close, the socket stays', async () => {
    // By hand, so nothing on our side answers or closes for us. Retried while the board still
    // holds the previous test's client (it refuses a second one with a bare close).
    let socket: Socket;
    let received = Buffer.alloc(0);
    let ended = false;
    const has = (bytes: string | Buffer) => received.includes(bytes);
    for (let attempt = 1; ; attempt++) {
      socket = connect(server.port, '127.0.0.1');
      received = Buffer.alloc(0);
      ended = false;
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
      });
      socket.on('end', () => {
        ended = true;
      });
      socket.write(
        'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      await until(() => has('Password: ') || ended, 'the prompt');
      if (!ended || attempt >= 10) break;
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A zero mask key leaves the payload as it is.
    const frame = (opcode: number, payload: Buffer) =>
      Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
    try {
      await until(() => has('Password: '), 'the prompt');
      assert.ok(has('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n'));
      socket.write(frame(1, Buffer.from(`${PASSWORD}\r`)));
      await until(() => has('WebREPL connected'), 'the login');
      socket.write(frame(9, Buffer.from('hi')));
      socket.write(frame(8, Buffer.from([0x03, 0xe8])));
      await until(() => has(Buffer.from([0x88, 0x00])), 'the empty close');
      // The pong would have come before the close's answer.
      assert.ok(!has(Buffer.from([0x8a, 0x02])), 'the board answered a ping');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(ended, false, 'the board closed its socket');
    } finally {
      socket.destroy();
    }
  });

  test('a soft reboot closes the connection', async () => {
    const { socket } = await login();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.send('\x04'); // Ctrl-D at the friendly prompt
    await closed;
  });

  test('a password longer than 9 bytes cannot be set', async () => {
    await assert.rejects(serveWebrepl(board, { password: '0123456789' }), RangeError);
  });
});
