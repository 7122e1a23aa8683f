// test/repl/e2e.test.ts: the raw REPL end to end on every board kind: the virtual board
// (in-process, over a pty at 115200 baud through the serial transport, legacy firmware) and the
// real firmwares behind a pty at 115200 baud and unthrottled.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BoardError, TimeoutError, TransportError } from '../../src/errors.js';
import { openSerial } from '../../src/transport/serial.js';
import {
  BOARD_KINDS,
  type BoardFacts,
  boardFacts,
  kindSkip,
  openTestBoard,
} from '../helpers/boards.js';

const text = (data: Uint8Array) => new TextDecoder().decode(data);
const BIN = fileURLToPath(new URL('../../../bin/mpy.js', import.meta.url));

/**
 * Output volume: 1 MB unthrottled, ~100 KB on the sim at 115200 baud (≈9 s on the wire), less on
 * the slower kinds so that eight real boards stay quick.
 */
function outputBytes(kind: string, facts: BoardFacts): number {
  if (facts.sim) return kind === 'inproc' ? 1_000_000 : kind === 'pty' ? 100_000 : 50_000;
  return facts.baud === 0 ? 300_000 : 30_000;
}

for (const kind of BOARD_KINDS) {
  const facts = boardFacts(kind);
  const nl = facts.newline;
  describe(`raw REPL on ${kind}`, { skip: kindSkip(kind) }, () => {
    test('exec, eval, errors and capabilities', async () => {
      const t = await openTestBoard(kind);
      try {
        assert.equal(text(await t.repl.exec('print(6*7)')), `42${nl}`);
        assert.equal(t.repl.rawPaste, facts.rawPaste ? 'yes' : 'no');
        // nothing to run is an empty program, not the soft reset a bare Ctrl-D is
        await t.repl.exec('x_kept = 1');
        assert.equal(text(await t.repl.exec('')), '');
        assert.equal(text(await t.repl.exec('print(x_kept)')), `1${nl}`);
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
        assert.equal(caps.rawPaste, facts.rawPaste);
        assert.equal(caps.osStat, facts.osStat);
        assert.ok(caps.memFree > 0);
      } finally {
        await t.close();
      }
    });

    // 20 KB; a board with a few KB of heap (micro:bit) holds the source and compiles it at
    // once, so there a sixth of its heap.
    const scriptLines = facts.heapBytes >= 64 * 1024 ? 700 : Math.floor(facts.heapBytes / 6 / 30);
    test(`a ${scriptLines === 700 ? '20 KB' : `${scriptLines * 30} B`} script arrives intact`, async () => {
      const t = await openTestBoard(kind);
      try {
        const count = scriptLines;
        const lines = Array.from({ length: count }, (_, i) => `v${i} = ${i} * 3  # padding ${i}`);
        const script = `${lines.join('\n')}\nprint(sum([${lines.map((_, i) => `v${i}`).join(',')}]))\n`;
        assert.ok(script.length > count * 28, `${script.length} bytes`);
        const expected = (3 * (count - 1) * count) / 2;
        assert.equal(text(await t.repl.exec(script)).trim(), String(expected));
        assert.equal((await t.counters()).dropped ?? 0, 0);
        if (facts.heapBytes < 64 * 1024 && !facts.rawPaste) {
          // without raw-paste the whole program must fit in RAM (a micro:bit would hang): a
          // 20 KB one is refused unsent, and the board answers the next one
          const big = Array.from({ length: 700 }, (_, i) => `v${i} = ${i}  # padding ${i}`);
          await assert.rejects(
            t.repl.exec(`${big.join('\n')}\n`),
            (e) =>
              e instanceof BoardError && e.type === 'MemoryError' && /does not fit/.test(e.value),
          );
          assert.equal(text(await t.repl.exec('print(6*7)')).trim(), '42');
        }
      } finally {
        await t.close();
      }
    });

    test('long output is streamed without loss', async () => {
      const t = await openTestBoard(kind);
      try {
        const line = 'x'.repeat(98);
        const count = Math.ceil(outputBytes(kind, facts) / 100);
        let streamed = 0;
        let pieces = 0;
        const out = await t.repl.exec(`for i in range(${count}):\n print('${line}')`, {
          timeoutMs: 60_000,
          onOutput: (data) => {
            streamed += data.length;
            pieces++;
          },
        });
        assert.equal(out.length, count * (98 + nl.length));
        assert.equal(streamed, out.length);
        assert.ok(pieces > 1, 'output arrives in pieces while the code runs');
        assert.equal(text(out), `${line}${nl}`.repeat(count));
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
        assert.equal(text(await t.repl.exec('print(1)')), `1${nl}`);
        await assert.rejects(t.repl.exec('while True:\n pass', { timeoutMs: 500 }), TimeoutError);
        assert.equal(text(await t.repl.exec('print(2)')), `2${nl}`);
      } finally {
        await t.close();
      }
    });

    test('a board whose main.py prints forever is still entered', async () => {
      const t = await openTestBoard(kind, {
        preload: { 'main.py': "i = 0\nwhile True:\n    print('tick', i)\n    i += 1\n" },
        // mpy's default 10 s, plus what the board had buffered when the interrupt arrived
        repl: { connectTimeoutMs: 10_000 + facts.drainSeconds * 1000 },
      });
      try {
        assert.equal(text(await t.repl.exec('print(6*7)')), `42${nl}`);
      } finally {
        await t.close();
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
        const running = t.repl
          .exec('import time\nwhile True:\n time.sleep(0.01)', { timeoutMs: 5000 })
          .catch((e: unknown) => e);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const started = Date.now();
        await t.cut();
        const error = await running;
        assert.ok(error instanceof TransportError, `expected a link error, got ${String(error)}`);
        assert.match(error.message, /^lost the link: /);
        assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
      } finally {
        await t.close();
      }
    });
    if (facts.stdinBuffer && kind !== 'inproc') {
      test('a board left stuck in a binary stdin read with Ctrl-C off is recovered', async () => {
        const t = await openTestBoard(kind);
        try {
          await t.repl.start(
            "import micropython, sys\nmicropython.kbd_intr(-1)\nsys.stdin.buffer.read(300)\nmicropython.kbd_intr(3)\nraise ValueError('read ended')",
          );
          // The host "crashes" mid-transfer: the link closes with the board still reading.
          await t.repl.close();
          const repl = await t.connect({ connectTimeoutMs: 10_000 });
          assert.equal(text(await repl.exec('print(5)')), `5${nl}`);
        } finally {
          await t.close();
        }
      });
    }
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
