// test/board/efficiency.e2e.test.ts: a 64 KB random upload and download at 115200 baud on the
// virtual board: wire bytes per payload byte (board counters) and rate against the line's.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { VirtualBoard } from '../../src/sim/index.js';

const SIZE = 64 * 1024;
const LINE_BYTES_PER_S = 115200 / 10;
let vb: VirtualBoard;
let repl: RawRepl;
let board: Board;

before(async () => {
  vb = await VirtualBoard.start({ baud: 115200 });
  repl = await RawRepl.connect(vb.connect());
  board = new Board(repl);
});
after(async () => {
  await repl.close();
  await vb.stop();
});

async function measure(action: () => Promise<unknown>) {
  vb.resetCounters();
  const started = performance.now();
  await action();
  const seconds = (performance.now() - started) / 1000;
  const { hostToBoard, boardToHost, dropped } = vb.counters;
  return {
    ratio: (hostToBoard + boardToHost) / SIZE,
    rate: SIZE / seconds / LINE_BYTES_PER_S,
    dropped,
  };
}

test('64 KB random upload and download at 115200 baud stay close to the line', async (t) => {
  const data = new Uint8Array(randomBytes(SIZE));
  const cold = await measure(() => board.writeFile('/cold.bin', data));
  const up = await measure(() => board.writeFile('/up.bin', data));
  const down = await measure(async () => {
    assert.deepEqual(await board.readFile('/up.bin'), data);
  });
  const show = (m: { ratio: number; rate: number }) =>
    `${m.ratio.toFixed(3)} wire B/B, ${(m.rate * 100).toFixed(1)} % of line rate`;
  t.diagnostic(`upload, first on the connection (probe + helper): ${show(cold)}`);
  t.diagnostic(`upload: ${show(up)}`);
  t.diagnostic(`download: ${show(down)}`);
  assert.equal(up.dropped + down.dropped + cold.dropped, 0, 'the board dropped bytes');
  assert.ok(up.ratio <= 1.05, `upload ratio ${up.ratio}`);
  assert.ok(down.ratio <= 1.1, `download ratio ${down.ratio}`);
  // loose: a stalled window shows up as a rate far below the line, machine load does not
  assert.ok(up.rate >= 0.6 && down.rate >= 0.6, `rates ${up.rate} ${down.rate}`);
});
