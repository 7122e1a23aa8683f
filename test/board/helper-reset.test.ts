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

test('a byte lost inside the content is caught by the digest and the file sent again', async () => {
  const t = await openTestBoard('inproc');
  try {
    // the text protocol of boards without binary stdin, in plain raw REPL on a micro:bit: no
    // flow control, so a busy board can take a literal's byte wrong and still run the exec
    const board = new Board(t.repl, { binary: false });
    const data = new TextEncoder().encode('y = 2  # a line of a module\n'.repeat(200));
    const exec = t.repl.exec.bind(t.repl);
    let damage = false;
    let starts = 0;
    t.repl.exec = async (code, options) => {
      if (code.includes('_mpyc.o(')) starts++; // an upload's first exec
      const at = code.indexOf("_mpyc.b(b'");
      if (damage && at >= 0) {
        damage = false;
        const i = at + 20;
        code = `${code.slice(0, i)}${code[i] === 'A' ? 'B' : 'A'}${code.slice(i + 1)}`;
      }
      return exec(code, options);
    };
    damage = true;
    await board.writeFile('/a.py', data);
    assert.equal(starts, 2, 'the damaged upload was sent again');
    assert.deepEqual(await board.readFile('/a.py'), data);
    // a direct write (cp --direct) likewise writes the file again over itself
    damage = true;
    await board.writeFile('/b.py', data, { direct: true });
    assert.equal(starts, 4);
    assert.deepEqual(await board.readFile('/b.py'), data);
  } finally {
    await t.close();
  }
});
