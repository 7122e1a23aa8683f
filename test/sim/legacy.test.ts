// test/sim/legacy.test.ts: the legacy profile behaves like the BBC micro:bit v1 firmware
// (MicroPython 1.9.2). The expected values were measured on that firmware in qemu (see
// legacy-real.test.ts, which runs the same probes on both).

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type PtyBoard, startPtyBoard } from './harness.js';

/** The link paces the host's bytes as a UART does: the micro:bit has no raw-paste to pace them. */
const BAUD = 115200;
/** The last line of a traceback. */
const lastLine = (stderr: string): string => stderr.trimEnd().split('\r\n').pop() ?? '';

describe('legacy profile over a pty', () => {
  let pty: PtyBoard;

  before(async () => {
    pty = await startPtyBoard({ profile: 'legacy', baud: BAUD });
    await pty.client.enterRaw();
  });
  after(async () => {
    await pty.close();
  });

  it('answers a raw-paste request the way firmware without raw-paste does', async () => {
    await pty.client.send('\x05A\x01');
    // mpremote reads 2 bytes, sees no `R`, and waits for the re-entered raw REPL banner.
    assert.equal(
      (await pty.client.readUntil('>')).toString('latin1'),
      'raw REPL; CTRL-B to exit\r\n>',
    );
    assert.equal((await pty.client.run('print(3)')).stdout, '3\r\n');
  });

  it('has the micro:bit sys: no stdin, stdout, modules or path', async () => {
    const result = await pty.client.run(
      'import sys\nprint(dir(sys))\nprint(sys.platform, sys.version, sys.version_info, sys.implementation.version, sys)',
    );
    assert.equal(
      result.stdout,
      "['__name__', 'version', 'version_info', 'implementation', 'platform', 'byteorder', 'exit', 'print_exception']\r\n" +
        "microbit 3.4.0 (3, 4, 0) (1, 9, 2) <module 'sys'>\r\n",
    );
  });

  it('has the micro:bit os: listdir() takes no argument, no stat or mkdir', async () => {
    const result = await pty.client.run('import os\nprint(dir(os), os.listdir())\nos.listdir("/")');
    assert.equal(result.stdout, "['__name__', 'remove', 'listdir', 'size', 'uname'] []\r\n");
    assert.equal(
      result.stderr,
      'Traceback (most recent call last):\r\n  File "<stdin>", line 3, in <module>\r\n' +
        'TypeError: function takes 0 positional arguments but 1 were given\r\n',
    );
    const mkdir = await pty.client.run('import os\nos.mkdir("d")');
    assert.equal(
      lastLine(mkdir.stderr),
      "AttributeError: 'module' object has no attribute 'mkdir'",
    );
  });

  it('words a missing file as the firmware does, with no frame of the sim', async () => {
    for (const call of ['open("nope")', 'os.size("nope")', 'os.remove("nope")']) {
      const result = await pty.client.run(`import os\n${call}`);
      assert.equal(
        result.stderr,
        'Traceback (most recent call last):\r\n  File "<stdin>", line 2, in <module>\r\n' +
          'OSError: file not found\r\n',
        call,
      );
    }
  });

  it('has no hashlib, binascii, deflate, io, uos, json or memoryview', async () => {
    for (const name of ['hashlib', 'binascii', 'deflate', 'io', 'uos', 'json', 'js']) {
      const result = await pty.client.run(`import ${name}`);
      assert.equal(lastLine(result.stderr), `ImportError: no module named '${name}'`);
    }
    const result = await pty.client.run('memoryview(b"")');
    assert.equal(lastLine(result.stderr), "NameError: name 'memoryview' is not defined");
    const modules = await pty.client.run("help('modules')");
    assert.match(modules.stdout, /^__main__ +gc +os +time\r\n/);
    assert.doesNotMatch(modules.stdout, /hashlib|binascii|deflate|\bio\b/);
  });

  it('lists the micro:bit names of gc, micropython and time', async () => {
    const result = await pty.client.run(
      'import gc, micropython, time\nprint(dir(gc))\nprint(dir(micropython))\nprint(dir(time))',
    );
    assert.deepEqual(result.stdout.split('\r\n').slice(0, 3), [
      "['__name__', 'collect', 'disable', 'enable', 'isenabled', 'mem_free', 'mem_alloc', 'threshold']",
      "['__name__', 'const', 'opt_level', 'mem_info', 'qstr_info', 'stack_use', 'heap_lock', 'heap_unlock', 'kbd_intr']",
      "['__name__', 'sleep', 'sleep_ms', 'sleep_us', 'ticks_ms', 'ticks_us', 'ticks_add', 'ticks_diff']",
    ]);
  });

  it('opens files as TextIO/BytesIO with only the firmware methods and modes', async () => {
    const result = await pty.client.run(
      [
        'f = open("t", "w")',
        'print(type(f), f.write("ab"), f.write(b"c"), f.name(), f.writable())',
        'f.close()',
        'f = open("t", "rb")',
        'print(type(f), dir(f), f.read())',
        'f.close()',
        'for mode in ("ab", "a", "r+", "wb+", "x"):',
        '    try:',
        '        open("t", mode)',
        '    except ValueError as e:',
        '        print(mode, repr(e))',
      ].join('\n'),
    );
    assert.equal(
      result.stdout,
      "<class 'TextIO'> 2 1 t True\r\n" +
        "<class 'BytesIO'> ['close', 'name', '__enter__', '__exit__', 'writable', 'read', 'readinto', 'readline', 'write'] b'abc'\r\n" +
        ['ab', 'a', 'r+', 'wb+', 'x'].map((m) => `${m} ValueError('illegal mode',)\r\n`).join(''),
    );
    const readOnWrite = await pty.client.run('open("t", "w").read()');
    assert.equal(lastLine(readOnWrite.stderr), 'OSError: 9');
    const iterate = await pty.client.run('for line in open("t"): pass');
    assert.match(lastLine(iterate.stderr), /^TypeError: 'TextIO' object is(n't| not) iterable$/);
  });

  it('keeps a "/" in a file name, as the flat file system does', async () => {
    const result = await pty.client.run(
      'import os\nopen("/x", "w").write("ab")\nprint(os.listdir(), os.size("/x"))\nos.size("x")',
    );
    assert.equal(result.stdout, "['t', '/x'] 2\r\n");
    assert.equal(lastLine(result.stderr), 'OSError: file not found');
    await pty.client.run('import os\nos.remove("/x")\nos.remove("t")');
  });

  it('imports the user modules on the flash', async () => {
    await pty.client.run('open("m.py", "w").write("v = 7\\n")');
    const result = await pty.client.run('import m\nprint(m.v)\nimport os\nos.remove("m.py")');
    assert.equal(result.stdout, '7\r\n');
  });
});

describe('legacy profile: flash and heap of a fresh micro:bit', () => {
  /** A fresh board per case, as each measurement was taken on a fresh micro:bit. */
  async function fresh<T>(action: (pty: PtyBoard) => Promise<T>): Promise<T> {
    const pty = await startPtyBoard({ profile: 'legacy', baud: BAUD });
    try {
      await pty.client.enterRaw();
      return await action(pty);
    } finally {
      await pty.close();
    }
  }

  const fill = (name: string, piece: number) =>
    [
      `f = open(${JSON.stringify(name)}, "wb")`,
      `b = bytes(${piece})`,
      'n = 0',
      'try:',
      '    while True:',
      '        f.write(b)',
      `        n += ${piece}`,
      'except OSError as e:',
      '    print(n, repr(e))',
      'import os',
      'print(os.listdir())',
      'try:',
      '    f.write(b"x")',
      'except ValueError as e:',
      '    print(repr(e))',
      'f.close()',
      'print(os.listdir())',
    ].join('\n');

  it('runs out of space at 15,104 bytes in 256-byte pieces, and drops that file', async () => {
    const result = await fresh((pty) => pty.client.run(fill('f', 256)));
    assert.equal(
      result.stdout,
      "15104 OSError(28,)\r\n[]\r\nValueError('I/O operation on closed file',)\r\n[]\r\n",
    );
    const traceback = await fresh((pty) => pty.client.run('open("f", "wb").write(bytes(20000))'));
    assert.equal(lastLine(traceback.stderr), 'OSError: 28');
  });

  it('counts 128-byte chunks with the name in the first one, for several files', async () => {
    const result = await fresh(async (pty) => {
      await pty.client.run('for i in range(10):\n    open("f%d" % i, "w").write("x" * 1000)');
      const pieces = await pty.client.run(fill('g', 256));
      const bytes = await pty.client.run(fill('g', 1));
      const names = await pty.client.run('import os\nprint(len(os.listdir()), os.size("f3"))');
      return [pieces.stdout.split('\r\n')[0], bytes.stdout.split('\r\n')[0], names.stdout];
    });
    assert.deepEqual(result, ['4864 OSError(28,)', '5036 OSError(28,)', '10 1000\r\n']);
  });

  it('has 120 chunks: 120 empty files, then no more storage space', async () => {
    const result = await fresh((pty) =>
      pty.client.run(
        'n = 0\ntry:\n    while True:\n        open("e%d" % n, "w").close()\n        n += 1\nexcept OSError as e:\n    print(n, repr(e))',
      ),
    );
    assert.equal(result.stdout, "120 OSError('no more storage space',)\r\n");
  });

  it('keeps the flash folder readable: a "/" in a name is stored as U+2215', async () => {
    const flashDir = mkdtempSync(join(tmpdir(), 'mpy-legacy-test-'));
    try {
      const pty = await startPtyBoard({ profile: 'legacy', baud: BAUD, flashDir });
      try {
        await pty.client.enterRaw();
        await pty.client.run('open("/a", "w").write("1")');
      } finally {
        await pty.close();
      }
      assert.deepEqual(readdirSync(flashDir), ['\u2215a']);
    } finally {
      rmSync(flashDir, { recursive: true, force: true });
    }
  });

  it('reports the free heap of a micro:bit after boot', async () => {
    const result = await fresh((pty) =>
      pty.client.run('import gc\ngc.collect()\nprint(gc.mem_free(), gc.mem_alloc())'),
    );
    // The micro:bit: 9456 592 (its heap is 10,048 bytes).
    const [free, alloc] = result.stdout.trim().split(' ').map(Number) as [number, number];
    assert.ok(Math.abs(free - 9456) < 400, `mem_free ${free}`);
    assert.ok(Math.abs(alloc - 592) < 400, `mem_alloc ${alloc}`);
    assert.ok(free + alloc <= 10048, `${free} + ${alloc}`);
  });

  it('fails to compile what does not fit the micro:bit heap, and runs what does', async () => {
    const results = await fresh(async (pty) => {
      const out: string[] = [];
      // A 4 KB bytes literal and 3 KB of statements fail there; 1 KB of either runs.
      for (const code of [
        `b = b'${'a'.repeat(4096)}'\nprint(len(b))`,
        `${'x = 1\n'.repeat(500)}print(x)`,
        `b = b'${'a'.repeat(1000)}'\nprint(len(b))`,
        `${'x = 1\n'.repeat(160)}print(x)`,
      ]) {
        const result = await pty.client.run(code, 10_000);
        // The message is left out when there is no memory for it, there too.
        out.push(result.stderr ? (lastLine(result.stderr).split(':')[0] ?? '') : result.stdout);
      }
      return out;
    });
    assert.deepEqual(results, ['MemoryError', 'MemoryError', '1000\r\n', '1\r\n']);
  });

  it('collects garbage while code runs, as the firmware does', async () => {
    // 2000 short-lived strings: far more than the heap, all garbage but the last.
    const result = await fresh((pty) =>
      pty.client.run('for i in range(2000):\n    s = str(i) * 20\nprint(len(s))', 10_000),
    );
    assert.deepEqual(result, { stdout: '80\r\n', stderr: '' });
  });

  it('hangs on a raw REPL line too long for its heap, until reset', async () => {
    const traces: string[] = [];
    let hung: () => void = () => {};
    const hangs = new Promise<void>((resolve) => {
      hung = resolve;
    });
    const pty = await startPtyBoard({
      profile: 'legacy',
      baud: BAUD,
      trace: (line) => {
        if (line.startsWith('! board hung')) {
          traces.push(line);
          hung();
        }
      },
    });
    try {
      await pty.client.enterRaw();
      await pty.client.send(`${'#'.repeat(63)}\n`.repeat(160));
      await hangs;
      assert.match(traces[0] ?? '', /raw REPL line does not fit the micro:bit's heap/);
      await pty.board.hardReset();
      await pty.client.enterRaw();
      assert.equal((await pty.client.run('print(1)')).stdout, '1\r\n');
    } finally {
      await pty.close();
    }
  });
});
