// test/repl/lossless.test.ts: the round trips saved on links that keep bytes safe (WebREPL):
// the raw-REPL entry sent with the login, and a short first exec sent whole with its raw-paste
// request; a UART link keeps asking first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRST_ATTEMPT } from '../../src/repl/enter.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { ENTER_STEPS, FakeTransport, text } from '../helpers/fake-transport.js';

const BANNER = '\r\nraw REPL; CTRL-B to exit\r\n>';

/** A fake link that says it keeps bytes safe, as WebREPL's does. */
class LosslessFake extends FakeTransport {
  readonly bufferedBytes = 16 * 1024;
  constructor(readonly sentAtOpen?: Uint8Array) {
    super();
  }
}

/** Each host write, as text. */
function recordWrites(fake: FakeTransport): string[] {
  const writes: string[] = [];
  fake.onWrite = (data) => writes.push(text(data));
  return writes;
}

test('a link that sent the raw-REPL entry as it opened is only listened to', async () => {
  const fake = new LosslessFake(FIRST_ATTEMPT);
  const connecting = RawRepl.connect(fake, { connectTimeoutMs: 2000 });
  fake.emit(`\r\n>>> ${BANNER}`);
  const repl = await connecting;
  assert.equal(fake.written, '', 'nothing written to enter the raw REPL');
  await repl.close();
});

test('without sentAtOpen the entry is sent as before', async () => {
  const fake = new LosslessFake().script(...ENTER_STEPS);
  const repl = await RawRepl.connect(fake, { connectTimeoutMs: 2000 });
  assert.ok(fake.written.startsWith('\r\x03\x03'));
  await repl.close();
});

test('a short first exec goes out whole with its raw-paste request on a lossless link', async () => {
  const fake = new LosslessFake().script(...ENTER_STEPS, {
    when: '\x05A\x01print(6*7)\x04',
    reply: 'R\x01\x80\x00\x01\x0442\r\n\x04\x04>',
  });
  const repl = await RawRepl.connect(fake, { connectTimeoutMs: 2000 });
  const writes = recordWrites(fake);
  assert.equal(text(await repl.exec('print(6*7)')), '42\r\n');
  assert.deepEqual(writes, ['\x05A\x01print(6*7)\x04'], 'one write, no wait for the window');
  assert.equal(repl.rawPaste, 'yes');
  await repl.close();
});

test('firmware without raw-paste runs that exec once, as a plain raw REPL line', async () => {
  // Old firmware: the request's Ctrl-A resets the raw REPL, the code and Ctrl-D that follow
  // are a plain line that runs.
  const fake = new LosslessFake().script(...ENTER_STEPS, {
    when: '\x05A\x01a=1\x04',
    reply: `${BANNER}OK\x04\x04>`,
  });
  const repl = await RawRepl.connect(fake, { connectTimeoutMs: 2000 });
  const writes = recordWrites(fake);
  assert.equal((await repl.exec('a=1')).length, 0);
  assert.deepEqual(writes, ['\x05A\x01a=1\x04'], 'the code is not sent a second time');
  assert.equal(repl.rawPaste, 'no');
  await repl.close();
});

test('R\\x00 with a fresh prompt: the early code ran as a plain line', async () => {
  const fake = new LosslessFake().script(...ENTER_STEPS, {
    when: '\x05A\x01print(1)\x04',
    reply: 'R\x00>OK1\r\n\x04\x04>',
  });
  const repl = await RawRepl.connect(fake, { connectTimeoutMs: 2000 });
  assert.equal(text(await repl.exec('print(1)')), '1\r\n');
  assert.equal(repl.rawPaste, 'no');
  await repl.close();
});

test('a long first exec, and any first exec on a UART, asks for the window first', async () => {
  const long = `x=${'1'.repeat(80)}`;
  for (const [fake, code] of [
    [new LosslessFake(), long],
    [new FakeTransport(), 'print(6*7)'],
  ] as const) {
    fake.script(
      ...ENTER_STEPS,
      { when: '\x05A\x01', reply: 'R\x01\x80\x00\x01' },
      { when: `${code}\x04`, reply: '\x04\x04\x04>' },
    );
    const repl = await RawRepl.connect(fake, { connectTimeoutMs: 2000 });
    const writes = recordWrites(fake);
    await repl.exec(code);
    assert.equal(writes[0], '\x05A\x01', 'the request goes alone');
    await repl.close();
  }
});

/** A lossless fake whose board closes it on a soft reboot and that logs in again (WebREPL). */
class RelogFake extends LosslessFake {
  private readonly back = new Set<() => void>();
  onReconnect(listener: () => void): () => void {
    this.back.add(listener);
    return () => this.back.delete(listener);
  }
  /** Logged in again; `stale` is what the new connection brought before anyone asked. */
  relog(stale: string): void {
    if (stale) this.emit(stale);
    queueMicrotask(() => {
      for (const listener of this.back) listener();
    });
  }
}

for (const stale of ['', BANNER]) {
  test(`a soft reset over a link the reboot closes: the next exec is not answered by a late banner (${stale ? 'the board printed one to the new connection' : 'nothing came with the new connection'})`, async () => {
    const fake = new RelogFake().script(...ENTER_STEPS);
    const repl = await RawRepl.connect(fake, { connectTimeoutMs: 2000, answerTimeoutMs: 2000 });
    fake.onWrite = (data) => {
      const typed = text(data);
      if (typed === '\x04') {
        fake.emit('OK\r\nMPY: soft reboot\r\n');
        fake.relog(stale);
      } else if (typed === '\x01') {
        // Ctrl-A after the login: the banner again, a round trip later.
        setTimeout(() => fake.emit(BANNER), 10);
      } else if (typed === '\x02\x01') {
        setTimeout(() => fake.emit(`\r\nMicroPython v1\r\nType "help()".\r\n>>> ${BANNER}`), 10);
      } else if (typed.startsWith('\x05A\x01')) {
        // In order after what the board answered before (equal timers keep their order).
        setTimeout(() => fake.emit('R\x01\x80\x00\x01\x0442\r\n\x04\x04>'), 10);
      }
    };
    await repl.softReset();
    assert.equal(text(await repl.exec('print(6*7)')), '42\r\n');
    await repl.close();
  });
}
