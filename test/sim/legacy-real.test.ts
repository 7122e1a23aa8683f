// test/sim/legacy-real.test.ts: the same probes on the real micro:bit v1 firmware (MicroPython
// 1.9.2 in qemu's microbit machine) and on the sim's legacy profile, each on a fresh board,
// through the serial transport and the raw REPL: what user code sees must agree.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoardError } from '../../src/errors.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { openSerial } from '../../src/transport/serial.js';
import { openTestBoard } from '../helpers/boards.js';
import { realBoardSkip, startRealBoard } from '../helpers/real-boards.js';

const BAUD = 115200;
const skip = realBoardSkip('microbit');

interface Probed {
  repl: RawRepl;
  close(): Promise<void>;
}

async function realMicrobit(): Promise<Probed> {
  const server = await startRealBoard('microbit', BAUD);
  try {
    const transport = await openSerial(server.path, { baud: BAUD });
    const repl = await RawRepl.connect(transport, { baud: BAUD });
    return {
      repl,
      async close() {
        await repl.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

async function legacySim(): Promise<Probed> {
  const board = await openTestBoard('pty-legacy', { sim: { baud: BAUD } });
  return { repl: board.repl, close: () => board.close() };
}

const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** Run `probe` on a fresh real micro:bit and a fresh legacy sim; both results, real first. */
async function onBoth<T>(probe: (repl: RawRepl) => Promise<T>): Promise<[T, T]> {
  const results: T[] = [];
  for (const open of [realMicrobit, legacySim]) {
    const board = await open();
    try {
      results.push(await probe(board.repl));
    } finally {
      await board.close();
    }
  }
  return results as [T, T];
}

/** The BoardError `code` raises. */
async function failure(repl: RawRepl, code: string): Promise<BoardError> {
  const error = await repl.exec(code).catch((e: unknown) => e);
  assert.ok(error instanceof BoardError, `${code.slice(0, 40)}: ${String(error)}`);
  return error;
}

describe('legacy profile and the real micro:bit v1', { skip }, () => {
  it('free heap right after boot', async () => {
    const [real, sim] = await onBoth(async (repl) =>
      Number(text(await repl.exec('import gc\ngc.collect()\nprint(gc.mem_free())'))),
    );
    assert.ok(real > 9000 && real < 10048, `micro:bit: ${real}`);
    assert.ok(Math.abs(sim - real) < 400, `sim ${sim}, micro:bit ${real}`);
  });

  it('dir(sys), dir(os), listdir() and a missing file', async () => {
    const [real, sim] = await onBoth(async (repl) => {
      const names = text(await repl.exec('import sys, os\nprint(dir(sys), dir(os), os.listdir())'));
      const missing = await failure(repl, "open('nope')");
      const listdirArg = await failure(repl, "import os\nos.listdir('/')");
      return { names, missing: missing.traceback, listdirArg: listdirArg.traceback };
    });
    assert.deepEqual(sim, real);
    assert.equal(
      real.names,
      "['__name__', 'version', 'version_info', 'implementation', 'platform', 'byteorder', 'exit', 'print_exception'] ['__name__', 'remove', 'listdir', 'size', 'uname'] []\r\n",
    );
    assert.match(real.missing, /\r\nOSError: file not found\r\n$/);
  });

  it('a 4 KB bytes literal does not compile, a 1 KB one does', async () => {
    const [real, sim] = await onBoth(async (repl) => {
      const big = await failure(repl, `b = b'${'a'.repeat(4096)}'\nprint(len(b))`);
      const small = text(await repl.exec(`b = b'${'a'.repeat(1000)}'\nprint(len(b))`));
      return { big: big.type, small };
    });
    assert.deepEqual(sim, real);
    assert.deepEqual(real, { big: 'MemoryError', small: '1000\r\n' });
  });

  it('a file written in 256-byte pieces runs out of space at the same size', async () => {
    const fill = [
      "f = open('f', 'wb')",
      'n = 0',
      'try:',
      '    while True:',
      '        f.write(bytes(256))',
      '        n += 256',
      'except OSError as e:',
      '    print(n, repr(e))',
      'f.close()',
      'import os',
      'print(os.listdir())',
    ].join('\n');
    const [real, sim] = await onBoth(async (repl) => text(await repl.exec(fill)));
    assert.equal(sim, real);
    assert.equal(real, '15104 OSError(28,)\r\n[]\r\n');
  });
});
