// test/board/helper-reset.test.ts: a soft reset made through the session wipes the helper from
// the board's RAM; the next call sends it again at once instead of failing with NameError first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board } from '../../src/board/board.js';
import { BoardError } from '../../src/errors.js';
import { openTestBoard } from '../helpers/boards.js';

test('after repl.softReset() the next board call is one exec, carrying the helper', async () => {
  const t = await openTestBoard('inproc');
  try {
    const board = new Board(t.repl);
    await board.writeFile('/a.py', new TextEncoder().encode('x = 1\n'));
    assert.ok(await board.stat('/a.py'));
    const exec = t.repl.exec.bind(t.repl);
    const calls: { code: string; failed: boolean }[] = [];
    t.repl.exec = async (code, options) => {
      try {
        return await exec(code, options);
      } catch (error) {
        calls.push({ code, failed: error instanceof BoardError });
        throw error;
      } finally {
        if (!calls.some((c) => c.code === code)) calls.push({ code, failed: false });
      }
    };
    await t.repl.softReset();
    assert.ok(await board.stat('/a.py'));
    assert.deepEqual(
      calls.map((c) => c.failed),
      [false],
      `execs after the reset: ${calls.map((c) => c.code.slice(0, 40)).join(' | ')}`,
    );
  } finally {
    await t.close();
  }
});

test('a helper that arrived damaged (a dropped byte inside a name) is sent again once', async () => {
  const t = await openTestBoard('inproc');
  try {
    const board = new Board(t.repl);
    const data = new TextEncoder().encode('x = 1\n'.repeat(1000));
    await board.writeFile('/a.py', data);
    assert.equal(await board.digest('/a.py'), board.localDigest(data));
    // `_mpyc` that lost its underscore on the way: it compiled, and fails when it runs
    await t.repl.exec('def _bad(p):\n return mpyc.t\n_mpy.dg = _bad');
    assert.equal(await board.digest('/a.py'), board.localDigest(data));
  } finally {
    await t.close();
  }
});
