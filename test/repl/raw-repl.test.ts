// test/repl/raw-repl.test.ts: the raw-REPL state machine on recorded byte streams (scripted fake
// transport): entering, raw-paste windows, fallbacks, error parsing, timeouts, link loss.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoardError, TimeoutError, TransportError } from '../../src/errors.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { bytes, ENTER_STEPS, FakeTransport, text } from '../helpers/fake-transport.js';

const PASTE_OK = 'R\x01\x80\x00\x01';

async function connected(...steps: Parameters<FakeTransport['script']>): Promise<{
  repl: RawRepl;
  fake: FakeTransport;
}> {
  const fake = new FakeTransport().script(...ENTER_STEPS, ...steps);
  const repl = await RawRepl.connect(fake, { connectTimeoutMs: 2000 });
  return { repl, fake };
}

test('enters the raw REPL from the friendly prompt and execs with raw paste', async () => {
  const { repl, fake } = await connected(
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'print(6*7)\x04', reply: '\x0442\r\n\x04\x04>' },
  );
  const chunks: string[] = [];
  const out = await repl.exec('print(6*7)', { onOutput: (d) => chunks.push(text(d)) });
  assert.equal(text(out), '42\r\n');
  assert.equal(chunks.join(''), '42\r\n');
  assert.equal(repl.rawPaste, 'yes');
  await repl.close();
  assert.ok(fake.written.endsWith('\x02'), 'leaves the friendly REPL behind');
});

test('raw paste never sends more than the board granted', async () => {
  const { repl, fake } = await connected();
  const window = 8;
  let granted = 0;
  let received = 0;
  let inPaste = false;
  let code = '';
  fake.onWrite = (data) => {
    const chunk = text(data);
    if (chunk === '\x05A\x01') {
      inPaste = true;
      granted = 2 * window;
      fake.emit(`R\x01${String.fromCharCode(window, 0)}\x01`);
      return;
    }
    if (!inPaste) return;
    if (chunk === '\x04') {
      inPaste = false;
      fake.emit('\x04done\x04\x04>');
      return;
    }
    code += chunk;
    received += chunk.length;
    assert.ok(received <= granted, `host sent ${received} bytes with ${granted} granted`);
    // The board grants a window each time it has consumed one.
    while (granted - received < window) {
      granted += window;
      fake.emit('\x01');
    }
  };
  const source = `x = ${'1 + '.repeat(30)}1`;
  const out = await repl.exec(source);
  assert.equal(text(out), 'done');
  assert.equal(code, source);
  await repl.close();
});

test('falls back to paced plain raw mode when the firmware echoes the raw banner', async () => {
  const { repl, fake } = await connected(
    { when: '\x05A\x01', reply: 'raw REPL; CTRL-B to exit\r\n>' },
    { when: 'print(1)\x04', reply: 'OK1\r\n\x04\x04>' },
    { when: 'print(2)\x04', reply: 'OK2\r\n\x04\x04>' },
  );
  assert.equal(text(await repl.exec('print(1)')), '1\r\n');
  assert.equal(repl.rawPaste, 'no');
  assert.equal(text(await repl.exec('print(2)')), '2\r\n');
  assert.equal(fake.written.split('\x05A\x01').length, 2, 'raw paste asked only once');
  await repl.close();
});

test('a board that took raw paste before is not taken for old firmware by a stale banner', async () => {
  // output of an interrupted program still on its way (with the banner of an enter attempt in
  // it) comes before the board's answer to the next raw-paste request
  const { repl, fake } = await connected(
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'print(1)\x04', reply: '\x041\r\n\x04\x04>' },
    { when: '\x05A\x01', reply: 'Error\r\n\x04>raw REPL; CTRL-B to exit\r\n>R\x01\x80\x00\x01' },
    { when: 'print(2)\x04', reply: '\x042\r\n\x04\x04>' },
  );
  assert.equal(text(await repl.exec('print(1)')), '1\r\n');
  assert.equal(text(await repl.exec('print(2)')), '2\r\n');
  assert.equal(repl.rawPaste, 'yes');
  assert.ok(fake.written.endsWith('print(2)\x04'), 'the code went as a paste, not plain');
  await repl.close();
});

test('R\\x00 means raw paste is known but off: plain mode, no banner to wait for', async () => {
  const { repl } = await connected(
    { when: '\x05A\x01', reply: 'R\x00' },
    { when: 'a=1\x04', reply: 'OK\x04\x04>' },
  );
  assert.equal((await repl.exec('a=1')).length, 0);
  assert.equal(repl.rawPaste, 'no');
  await repl.close();
});

test('a Python exception becomes a BoardError with type, value and errno', async () => {
  const traceback =
    'Traceback (most recent call last):\r\n  File "<stdin>", line 1, in <module>\r\nOSError: [Errno 2] ENOENT\r\n';
  const { repl } = await connected(
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: "open('x')\x04", reply: `\x04\x04${traceback}\x04>` },
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'print(1)\x04', reply: '\x041\r\n\x04\x04>' },
  );
  const error = await repl.exec("open('x')").catch((e: unknown) => e);
  assert.ok(error instanceof BoardError);
  assert.equal(error.type, 'OSError');
  assert.equal(error.errno, 2);
  assert.equal(error.traceback, traceback);
  assert.equal(text(await repl.exec('print(1)')), '1\r\n', 'still usable after an error');
  await repl.close();
});

test('a board that reboots on its own while idle is noticed: reported, and re-entered at once', async () => {
  const { repl, fake } = await connected();
  const restarted = new Promise<void>((resolve) => repl.onBoardRestart(resolve));
  const resets = repl.softResets;
  // its reset button: the link stays up, the board boots to its friendly prompt
  fake.emit('\r\nMicroPython v1.27.0 on 2025-12-10; board with chip\r\n');
  fake.emit('Type "help()" for more information.\r\n>>> ');
  await restarted;
  assert.equal(repl.softResets, resets + 1, 'what the board held in RAM is gone');
  // The next exec enters the raw REPL first: the friendly prompt would take raw-paste's
  // request for text and leave the host waiting out its answer timeout.
  fake.script(
    ...ENTER_STEPS,
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'print(1)\x04', reply: '\x041\r\n\x04\x04>' },
  );
  const started = Date.now();
  assert.equal(text(await repl.exec('print(1)')), '1\r\n');
  assert.ok(Date.now() - started < 1000);
  assert.equal(fake.remainingSteps, 0);
  await repl.close();
});

test('a board that never finishes gives TimeoutError and is recovered with Ctrl-C', async () => {
  const { repl, fake } = await connected(
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'while True: pass\x04', reply: '\x04' },
    // Recovery: Ctrl-C stops the loop, the traceback comes, then a fresh raw prompt.
    { when: '\r\x03\x03', reply: '\x04Traceback...\r\nKeyboardInterrupt: \r\n\x04>' },
    { when: '\r\x01', reply: 'raw REPL; CTRL-B to exit\r\n>' },
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'print(3)\x04', reply: '\x043\r\n\x04\x04>' },
  );
  const started = Date.now();
  await assert.rejects(repl.exec('while True: pass', { timeoutMs: 200 }), TimeoutError);
  assert.ok(Date.now() - started < 2000);
  assert.equal(text(await repl.exec('print(3)')), '3\r\n');
  assert.equal(fake.remainingSteps, 0);
  await repl.close();
});

test('a main.py that prints in a loop is interrupted until the board is quiet before code goes', async () => {
  const fake = new FakeTransport();
  let running = true;
  let inRaw = false;
  let codeWhileRunning = false;
  const timer = setInterval(() => {
    if (running) fake.emit('tick\r\n');
  }, 5);
  let interrupts = 0;
  fake.onWrite = (data) => {
    const chunk = text(data);
    if (chunk.includes('\x03')) {
      // The first Ctrl-C lands inside a try/except that swallows it; the second stops the loop.
      interrupts++;
      if (interrupts >= 2) {
        running = false;
        fake.emit('Traceback...\r\nKeyboardInterrupt: \r\n>>> ');
      }
    }
    if (chunk.includes('\x05A\x01')) {
      if (running) return;
      fake.emit(PASTE_OK);
      return;
    }
    if (chunk.includes('\x01')) {
      inRaw = !running;
      fake.emit('\r\nraw REPL; CTRL-B to exit\r\n>');
    }
    if (chunk.includes('print(7)')) {
      codeWhileRunning ||= running;
      fake.emit('\x047\r\n\x04\x04>');
    }
  };
  try {
    const repl = await RawRepl.connect(fake, { connectTimeoutMs: 3000, answerTimeoutMs: 3000 });
    assert.equal(text(await repl.exec('print(7)')), '7\r\n');
    assert.ok(inRaw, 'the prompt the code went to came after the loop stopped');
    assert.ok(!codeWhileRunning, 'no code went out while the loop ran');
    await repl.close();
  } finally {
    clearInterval(timer);
  }
});

test('a board that never shows the raw prompt: TransportError carrying what it sent, exit 3', async () => {
  const fake = new FakeTransport();
  fake.onWrite = () => fake.emit('garbage\xff');
  const error = await RawRepl.connect(fake, { connectTimeoutMs: 300 }).catch((e: unknown) => e);
  assert.ok(error instanceof TransportError);
  assert.match(error.message, /no raw REPL prompt from fake within 300 ms \(it sent: garbage/);
  // the board did not answer in time (README's exit 3), and only a reset brings it back
  assert.equal(error.exitCode, 3);
  assert.match(error.message, /reset it/);
  assert.match(text(error.received!), /garbage\xff/);
});

test('soft reset on connect waits for the reboot and the raw prompt again', async () => {
  const fake = new FakeTransport().script(...ENTER_STEPS, {
    when: '\x04',
    reply: 'OK\r\nMPY: soft reboot\r\nboot.py says hi\r\nraw REPL; CTRL-B to exit\r\n>',
  });
  const repl = await RawRepl.connect(fake, { softReset: true, connectTimeoutMs: 2000 });
  assert.equal(fake.remainingSteps, 0);
  await repl.close();
});

test('the link going away mid-exec is a TransportError, not a hang', async () => {
  const { repl, fake } = await connected(
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'print(1)\x04', reply: '\x04partial' },
  );
  setTimeout(() => fake.cut(), 50);
  await assert.rejects(repl.exec('print(1)'), TransportError);
  await repl.close();
});

test('start() hands out binary stdout by length, then finishes', async () => {
  const payload = '\x04\x00\x03>\x04';
  const { repl, fake } = await connected(
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'prog\x04', reply: `\x04${payload}` },
  );
  const run = await repl.start('prog');
  assert.deepEqual(await run.readExactly(5), bytes(payload));
  fake.script({ when: 'ack', reply: 'tail\x04\x04>' });
  await run.write(bytes('ack'));
  assert.equal(text(await run.finish()), 'tail');
  // The session is free again.
  fake.script({ when: '\x05A\x01', reply: PASTE_OK }, { when: 'x\x04', reply: '\x04\x04\x04>' });
  await repl.exec('x');
  await repl.close();
});

test('a started program that stops answering says how long it waited, not the run limit', async () => {
  const fake = new FakeTransport().script(
    ...ENTER_STEPS,
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'prog\x04', reply: '\x04' },
  );
  const repl = await RawRepl.connect(fake, { answerTimeoutMs: 200, connectTimeoutMs: 2000 });
  const run = await repl.start('prog');
  const error = await run.readExactly(1).catch((e: unknown) => e);
  assert.ok(error instanceof TimeoutError);
  // it waited 200 ms for an answer: the 30 s limit of a whole run never came into it
  assert.doesNotMatch(error.message, /30000/);
  assert.match(error.message, /^fake stopped answering \(fake sent no .* within 200 ms\)/);
  await repl.close();
});

test('eval parses the repr on the host', async () => {
  const { repl } = await connected(
    { when: '\x05A\x01', reply: PASTE_OK },
    {
      when: 'print(repr(f()\n))\x04',
      reply: "\x04{'a': [1, 2.5, None], 'b': b'\\x00'}\r\n\x04\x04>",
    },
  );
  assert.deepEqual(await repl.eval('f()'), { a: [1, 2.5, null], b: Uint8Array.of(0) });
  await repl.close();
});

test('a board that reboots mid-run is reported at once, as KeyboardInterrupt after Ctrl-C', async () => {
  const banner =
    'MicroPython v1.27.0 on 2025-12-10; mpy-sim with webassembly\r\nType "help()" for more information.\r\n>>> ';
  const { repl, fake } = await connected(
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'spin()\x04', reply: '\x04' },
    { when: '\x03', reply: `\r\n${banner}` },
    ...ENTER_STEPS,
    { when: '\x05A\x01', reply: PASTE_OK },
    { when: 'boom()\x04', reply: `\x04partial\r\n${banner}` },
  );
  const running = repl.exec('spin()', { timeoutMs: 5000 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await repl.interrupt();
  const started = Date.now();
  const error = await running.catch((e: unknown) => e);
  assert.ok(error instanceof BoardError && error.type === 'KeyboardInterrupt', String(error));
  assert.ok(Date.now() - started < 1000);
  // Without an interrupt, a reboot is its own error; the session re-enters the raw REPL first.
  fake.script(...ENTER_STEPS);
  const reboot = await repl.exec('boom()').catch((e: unknown) => e);
  assert.ok(reboot instanceof BoardError && reboot.type === 'BoardReset', String(reboot));
  await repl.close();
});

test('a board that is still booting is polled until its prompt appears', async () => {
  const fake = new FakeTransport();
  const bootedAt = Date.now() + 1200;
  fake.onWrite = (data) => {
    if (Date.now() < bootedAt) return; // still in its bootloader: bytes are lost
    const chunk = text(data);
    if (chunk.includes('\x03')) fake.emit('\r\n>>> ');
    if (chunk.includes('\x01')) fake.emit('\r\nraw REPL; CTRL-B to exit\r\n>');
  };
  const repl = await RawRepl.connect(fake, { connectTimeoutMs: 5000 });
  assert.ok(Date.now() >= bootedAt);
  await repl.close();
});

test('a board stuck reading binary stdin with Ctrl-C off is fed until its read ends', async () => {
  const fake = new FakeTransport();
  let swallowed = 0;
  let stuck = true;
  fake.onWrite = (data) => {
    if (stuck) {
      // sys.stdin.buffer.readinto of a 256-byte window with micropython.kbd_intr(-1).
      swallowed += data.length;
      if (swallowed >= 256) {
        stuck = false;
        fake.emit('\x04Traceback...\r\nValueError: bad digest\r\n\x04>');
      }
      return;
    }
    const chunk = text(data);
    if (chunk.includes('\x01')) fake.emit('raw REPL; CTRL-B to exit\r\n>');
  };
  const repl = await RawRepl.connect(fake, { connectTimeoutMs: 8000 });
  assert.equal(stuck, false);
  await repl.close();
});
