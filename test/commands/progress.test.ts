// test/commands/progress.test.ts: the progress bar stays silent when piped and for the first
// second, then draws on stderr and clears itself.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { startProgress } from '../../src/commands/progress.js';
import type { CommandContext } from '../../src/commands/types.js';

function fakeContext(isTTY: boolean, err: string[]): CommandContext {
  return {
    repl: () => Promise.reject(new Error('no board')),
    board: () => Promise.reject(new Error('no board')),
    boardFolder: () => Promise.reject(new Error('no board')),
    forgetBoardFolder: () => {},
    out: () => {},
    err: (text) => err.push(text),
    isTTY,
    signal: new AbortController().signal,
  };
}

test('no bar when piped, none in the first second, then one that clears', () => {
  let now = 1_000_000;
  const clock = mock.method(Date, 'now', () => now);
  try {
    const piped: string[] = [];
    const quiet = startProgress(fakeContext(false, piped), 'x');
    now += 5000;
    quiet.update(50, 100);
    quiet.end();
    assert.deepEqual(piped, []);

    const shown: string[] = [];
    const bar = startProgress(fakeContext(true, shown), 'a.bin -> :/a.bin');
    bar.update(10, 100);
    assert.deepEqual(shown, []);
    now += 1500;
    bar.update(50, 100);
    assert.equal(shown.length, 1);
    assert.match(shown[0]!, /^\ra\.bin -> :\/a\.bin \[#{12}\.{12}\] 50% /);
    bar.end();
    assert.equal(shown.at(-1), '\r\x1b[K');
  } finally {
    clock.mock.restore();
  }
});
