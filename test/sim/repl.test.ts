// test/sim/repl.test.ts: REPL behaviour a tool relies on, checked through serialport over a pty.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PtyBoard, startPtyBoard } from './harness.js';

describe('REPL over a pty', () => {
  let pty: PtyBoard;

  before(async () => {
    pty = await startPtyBoard();
    await pty.client.enterRaw();
  });
  after(async () => {
    await pty.close();
  });

  it('reads binary stdin, 0x03 and 0x04 included, while kbd_intr(-1)', async () => {
    const { client } = pty;
    const payload = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));
    await client.send(
      'import sys, micropython\nmicropython.kbd_intr(-1)\nprint("ready")\n' +
        `d = sys.stdin.buffer.read(${payload.length})\nmicropython.kbd_intr(3)\n` +
        'print(len(d), sum(d), d.count(b"\\x03"), d.count(b"\\x04"))\x04',
    );
    await client.readUntil('ready\r\n');
    await client.send(payload);
    const sum = payload.reduce((a, b) => a + b, 0);
    const count = (byte: number): number => payload.filter((b) => b === byte).length;
    assert.equal(
      (await client.readUntil('\x04')).toString('latin1'),
      `${payload.length} ${sum} ${count(3)} ${count(4)}\r\n\x04`,
    );
    await client.readUntil('\x04>');
  });

  it('raises KeyboardInterrupt in a stdin read when Ctrl-C is the interrupt char', async () => {
    const { client } = pty;
    await client.send(
      'import sys\nprint("reading")\nwhile True:\n    sys.stdin.buffer.read(1)\x04',
    );
    await client.readUntil('reading\r\n');
    await client.send('\x03');
    const result = (await client.readUntil('\x04>')).toString('latin1');
    assert.match(result, /KeyboardInterrupt: \r\n\x04>$/);
  });

  it('cooks text written through sys.stdout but not sys.stdout.buffer', async () => {
    const result = await pty.client.run(
      'import sys\nsys.stdout.write("a\\n")\nprint("b", file=sys.stdout)\nsys.stdout.buffer.write(b"c\\n")',
    );
    assert.equal(result.stdout, 'a\r\nb\r\nc\n');
  });

  it('reads input() from the link with echo, and Ctrl-C interrupts it', async () => {
    const { client } = pty;
    await client.send('s = input("name? ")\nprint("hi", s)\x04');
    await client.readUntil('OK');
    await client.readUntil('name? ');
    await client.send('bob\r');
    assert.equal(
      (await client.readUntil('\x04>')).toString('latin1'),
      'bob\r\nhi bob\r\n\x04\x04>',
    );
    await client.send('input()\x04');
    await client.readUntil('OK');
    await client.send('\x03');
    assert.match(
      (await client.readUntil('\x04>')).toString('latin1'),
      /KeyboardInterrupt: \r\n\x04>$/,
    );
  });

  it('names errno values like a real board', async () => {
    const result = await pty.client.run(
      'import os\ntry:\n    os.mkdir("e")\nexcept OSError:\n    pass\nos.mkdir("e")',
    );
    assert.match(result.stderr, /OSError: \[Errno 17\] EEXIST\r\n$/);
    const missing = await pty.client.run('open("/no/such/file")');
    assert.match(missing.stderr, /OSError: \[Errno 2\] ENOENT\r\n$/);
  });

  it('stops `while True: pass` on Ctrl-C within a second, keeping the files', async () => {
    const { client } = pty;
    await client.run('open("kept.txt", "w").write("yes")');
    await client.send('while True:\n    pass\x04');
    await client.readUntil('OK');
    const started = performance.now();
    await client.send('\r\x03');
    await client.readUntil('>>> ');
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
    await client.enterRaw();
    assert.equal((await client.run('print(open("kept.txt").read())')).stdout, 'yes\r\n');
  });

  it('soft-resets from the raw REPL: files kept, globals gone, still raw', async () => {
    const { client } = pty;
    await client.run('marker = 1\nopen("soft.txt", "w").write("s")');
    await client.send('\x04');
    const reboot = (await client.readUntil('raw REPL; CTRL-B to exit\r\n>')).toString('latin1');
    assert.equal(reboot, 'OK\r\nMPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>');
    const result = await client.run('print(open("soft.txt").read())\nprint("marker" in globals())');
    assert.equal(result.stdout, 's\r\nFalse\r\n');
  });

  it('soft-resets from the friendly REPL with the banner', async () => {
    const { client } = pty;
    await client.send('\x02');
    await client.readUntil('>>> ');
    await client.send('\x04');
    const text = (await client.readUntil('>>> ')).toString('latin1');
    assert.match(
      text,
      /MPY: soft reboot\r\n[\s\S]*MicroPython v\S+ on \S+; mpy-sim with webassembly\r\n/,
    );
    // The friendly REPL echoes results with \r\n, like a UART board.
    await client.send('6*7\r');
    assert.equal((await client.readUntil('>>> ')).toString('latin1'), '6*7\r\n42\r\n>>> ');
    await client.enterRaw();
  });

  it('takes 0x01 and 0x02 as data in raw-paste code', async () => {
    const result = await pty.client.runPaste('print(len("\x01\x02"), ord("\x02"))');
    assert.deepEqual(result, { stdout: '2 2\r\n', stderr: '' });
  });

  it('aborts a raw-paste on Ctrl-C', async () => {
    const { client } = pty;
    await client.send('\x05A\x01');
    await client.readBytes(5);
    await client.send('print("never")\x03');
    assert.equal(
      (await client.readUntil('>')).toString('latin1'),
      '\x04\x04KeyboardInterrupt: \r\n\x04>',
    );
    assert.equal((await client.run('print(2)')).stdout, '2\r\n');
  });

  it('gives machine.reset(): a hard reset that keeps the flash', async () => {
    const { client } = pty;
    await client.send('import machine\nmachine.reset()\x04');
    await client.readUntil('>>> ');
    await client.enterRaw();
    assert.equal((await client.run('print(open("soft.txt").read())')).stdout, 's\r\n');
  });
});
