// test/commands/devs.e2e.test.ts: `mpy devs --probe PORT...` on real firmwares behind ptys: each
// board says its MicroPython version and machine over the REPL; a port that is not there says
// why in its row, and the listing still ends with exit 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommandPtyServer } from '../../src/sim/index.js';
import { BOARD_KINDS, boardFacts } from '../helpers/board-kinds.js';
import { type RealBoardName, realBoardSkip, startRealBoard } from '../helpers/real-boards.js';
import { runBin } from './cli-run.js';

/** What each firmware answers (../shared/boards/README.md). */
const EXPECTED: Partial<Record<RealBoardName, RegExp>> = {
  unix: /^MicroPython 1\.29\.0-preview on linux /,
  qemu: /^MicroPython 1\.29\.0-preview on mps2-an385 with Cortex-M3$/,
  microbit: /^MicroPython 1\.9\.2 on micro:bit with nRF51822$/,
};

const firmwares = (Object.keys(EXPECTED) as RealBoardName[]).filter(
  (name) => BOARD_KINDS.some((kind) => boardFacts(kind).real === name) && !realBoardSkip(name),
);

test('devs --probe names each board by version and machine', {
  skip: firmwares.length === 0 ? 'no real board kind selected or runnable here' : false,
}, async () => {
  const boards: CommandPtyServer[] = [];
  try {
    for (const name of firmwares) {
      boards.push(await startRealBoard(name, name === 'microbit' ? 115200 : 0));
    }
    const result = await runBin('devs', '--probe', ...boards.map((b) => b.path), '/dev/nope');
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.toString().trimEnd().split('\n');
    assert.equal(lines.length, firmwares.length + 1, result.stdout.toString());
    for (const [index, name] of firmwares.entries()) {
      const [, answer] = lines[index]!.split(' - - -  ');
      assert.match(answer ?? '', EXPECTED[name]!, lines[index]);
    }
    assert.equal(
      lines.at(-1),
      '  /dev/nope - - -  (no answer: no such port /dev/nope (see `mpy devs`))',
    );
  } finally {
    await Promise.all(boards.map((board) => board.close()));
  }
});
