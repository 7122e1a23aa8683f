// test/repl/e2e.test.ts: the raw REPL against the virtual board, in-process and over a pty at
// 115200 baud through the serial transport, modern and legacy firmware.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BoardError, TimeoutError, TransportError } from '../../src/errors.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { openSerial } from '../../src/transport/serial.js';
import { BOARD_KINDS, type BoardKind, openTestBoard } from '../helpers/boards.js';

const text = (data: Uint8Array) => new TextDecoder().decode(data);
const BIN = fileURLToPath(new URL('../../../bin/mpy.js', import.meta.url));

/** Output volume per kind: 1 MB in-process, ~100 KB at 115200 baud (≈9 s on the wire). */
const OUTPUT_BYTES: Record<BoardKind, number> = {
  inproc: 1_000_000,
  pty: 100_000,
  'pty-legacy': 50_000,
};

for (const kind of BOARD_KINDS) {
  describe(`raw REPL on the virtual board (${kind})`, () => {
    test('exec, eval, errors and capabilities', async () => {
      const t = await openTestBoard(kind);
      try {
        assert.equal(text(await t.repl.exec('print(6*7)')), '42\r\n');
        assert.equal(t.repl.rawPaste, kind === 'pty-legacy' ? 'no' : 'yes');
        assert.deepEqual(await t.repl.eval("[1, 'a\\'b', b'\\x00', None]"), [
          1,
          "a'b",
          Uint8Array.of(0),
          null,
        ]);
        const error = await t.repl.exec("open('/nope')").catch((e: unknown) => e);
        assert.ok(error instanceof BoardError, String(error));
        assert.equal(error.type, 'OSError');
        assert.equal(error.errno, 2);
        const caps = await t.repl.capabilities();
        assert.equal(caps.rawPaste, kind !== 'pty-legacy');
        assert.equal(caps.osStat, kind !== 'pty-legacy');
        assert.ok(caps.memFree > 0);
      } finally {
        await t.close();
      }
    });

    test('a 20 KB script arrives intact (or, on a 9 KB heap, is refused unsent)', async () => {
      const t = await openTestBoard(kind);
      try {
        const lines = Array.from({ length: 700 }, (_, i) => `v${i} = ${i} * 3  # padding ${i}`);
        const script = `${lines.join('\n')}\nprint(sum([${lines.map((_, i) => `v${i}`).join(',')}]))\n`;
        assert.ok(script.length > 20_000, `${script.length} bytes`);
        const expected = (3 * 699 * 700) / 2;
        if (kind === 'pty-legacy') {
          // without raw-paste the whole program must fit in RAM: the micro:bit would hang
          await assert.rejects(
            t.repl.exec(script),
            (e) =>
              e instanceof BoardError && e.type === 'MemoryError' && /does not fit/.test(e.value),
          );
          const small = `${lines.slice(0, 30).join('\n')}\nprint(v29)\n`;
          assert.equal(text(await t.repl.exec(small)).trim(), String(29 * 3));
        } else {
          assert.equal(text(await t.repl.exec(script)).trim(), String(expected));
        }
        assert.equal(t.board.counters.dropped, 0);
      } finally {
        await t.close();
      }
    });

    test('long output is streamed without loss', async () => {
      const t = await openTestBoard(kind);
      try {
        const line = 'x'.repeat(98);
        const count = Math.ceil(OUTPUT_BYTES[kind] / 100);
        let streamed = 0;
        let pieces = 0;
        const out = await t.repl.exec(`for i in range(${count}):\n print('${line}')`, {
          timeoutMs: 60_000,
          onOutput: (data) => {
            streamed += data.length;
            pieces++;
          },
        });
        assert.equal(out.length, count * 100);
        assert.equal(streamed, out.length);
        assert.ok(pieces > 1, 'output arrives in pieces while the code runs');
        assert.equal(text(out), `${line}\r\n`.repeat(count));
      } finally {
        await t.close();
      }
    });

    test('interrupting `while True: pass` takes under 2 s and the REPL stays usable', async () => {
      const t = await openTestBoard(kind);
      try {
        const running = t.repl.exec('while True:\n pass');
        await new Promise((resolve) => setTimeout(resolve, 300));
        const started = Date.now();
        await t.repl.interrupt();
        const error = await running.catch((e: unknown) => e);
        assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
        assert.ok(error instanceof BoardError && error.type === 'KeyboardInterrupt', String(error));
        assert.equal(text(await t.repl.exec('print(1)')), '1\r\n');
        await assert.rejects(t.repl.exec('while True:\n pass', { timeoutMs: 500 }), TimeoutError);
        assert.equal(text(await t.repl.exec('print(2)')), '2\r\n');
      } finally {
        await t.close();
      }
    });

    test('a board whose main.py prints forever is still entered', async () => {
      const flashDir = await mkdtemp(join(tmpdir(), 'mpy-flash-'));
      await writeFile(
        join(flashDir, 'main.py'),
        "i = 0\nwhile True:\n    print('tick', i)\n    i += 1\n",
      );
      const t = await openTestBoard(kind, { flashDir });
      try {
        assert.equal(text(await t.repl.exec('print(6*7)')), '42\r\n');
      } finally {
        await t.close();
        await rm(flashDir, { recursive: true, force: true });
      }
    });

    test('soft reset clears globals and keeps the session in the raw REPL', async () => {
      const t = await openTestBoard(kind);
      try {
        await t.repl.exec('kept = 5');
        await t.repl.softReset();
        const error = await t.repl.exec('print(kept)').catch((e: unknown) => e);
        assert.ok(error instanceof BoardError && error.type === 'NameError', String(error));
      } finally {
        await t.close();
      }
    });

    test('the link cut during exec is a TransportError within the timeout', async () => {
      const t = await openTestBoard(kind);
      try {
        const running = t.repl.exec('import time\nwhile True:\n time.sleep(0.01)', {
          timeoutMs: 5000,
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        const started = Date.now();
        t.board.cutLink();
        const error = await running.catch((e: unknown) => e);
        assert.ok(error instanceof TransportError, `expected a link error, got ${String(error)}`);
        assert.match(error.message, /^lost the link: /);
        assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
      } finally {
        await t.close();
      }
    });
  });
}

test('a busy port is refused with one clear line', async () => {
  const t = await openTestBoard('pty');
  try {
    const error = await openSerial(t.ptyPath!, { lock: true }).catch((e: unknown) => e);
    assert.ok(error instanceof TransportError, String(error));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /is busy/);
    assert.doesNotMatch(error.message, /\n/);
    // The same through the CLI: one line, exit 2.
    const cli = spawnSync(process.execPath, [BIN, '-d', t.ptyPath!, 'exec', 'print(1)'], {
      encoding: 'utf8',
    });
    assert.equal(cli.status, 2);
    assert.equal(
      cli.stderr,
      `mpy: ${t.ptyPath} is busy: another program (a terminal, mpremote, an IDE, another mpy) has it open\n`,
    );
    // The first user is unaffected.
    assert.equal(text(await t.repl.exec('print(3)')), '3\r\n');
  } finally {
    await t.close();
  }
});

test('a board left stuck in a binary stdin read with Ctrl-C off is recovered', async () => {
  const t = await openTestBoard('pty');
  try {
    await t.repl.start(
      "import micropython, sys\nmicropython.kbd_intr(-1)\nsys.stdin.buffer.read(300)\nmicropython.kbd_intr(3)\nraise ValueError('read ended')",
    );
    // The host "crashes" mid-transfer: the link closes with the board still reading.
    await t.repl.close();
    const repl = await RawRepl.connect(await openSerial(t.ptyPath!), { connectTimeoutMs: 10_000 });
    try {
      assert.equal(text(await repl.exec('print(5)')), '5\r\n');
    } finally {
      await repl.close();
    }
  } finally {
    await t.close();
  }
});
