// test/board/efficiency.e2e.test.ts: a random upload and download on every board kind: wire bytes
// per payload byte (the sim's counters, or the pty relay's for a real board) and, on a paced
// line, the rate against the line's.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import {
  BOARD_KINDS,
  boardFacts,
  kindSkip,
  openTestBoard,
  type TestBoard,
  wireDelta,
} from '../helpers/boards.js';

for (const kind of BOARD_KINDS) {
  const facts = boardFacts(kind);
  // 64 KB on the sim; on a real board what the line moves in about a second (at least 32 KB)
  // and at most a third of its flash (micro:bit: 4 KB; the temp file and the copy both need
  // room there).
  const size =
    facts.sim && !facts.flat
      ? 64 * 1024
      : Math.min(Math.max(32 * 1024, facts.bytesPerSecond), facts.flashBytes / 3) & ~1023;
  // Binary through sys.stdin.buffer costs about 1.0 wire byte a byte; boards without it get
  // Python bytes literals up (printable bytes as is, the rest as \xNN: 2.9 for random data)
  // and hex down.
  // (on a 15 KB board the payload is small, so the helper's first load weighs more there)
  const limits = facts.stdinBuffer ? { up: 1.05, down: 1.1 } : { up: 4.0, down: 2.3 };

  describe(`wire efficiency on ${kind}`, { skip: kindSkip(kind) }, () => {
    let t: TestBoard;
    let board: Board;
    before(async () => {
      t = await openTestBoard(kind);
      board = new Board(t.repl);
    });
    after(() => t?.close());

    async function measure(action: () => Promise<unknown>) {
      const before = await t.counters();
      const started = performance.now();
      await action();
      const seconds = (performance.now() - started) / 1000;
      const wire = wireDelta(before, await t.counters());
      return {
        ratio: (wire.hostToBoard + wire.boardToHost) / size,
        // payload bytes a second against the line's baud/10
        rate: facts.baud ? size / seconds / (facts.baud / 10) : 0,
        kbps: size / seconds / 1024,
        dropped: wire.dropped,
      };
    }

    test(`${size / 1024} KB random upload and download stay close to the wire's cost`, async (c) => {
      const data = new Uint8Array(randomBytes(size));
      const cold = await measure(() => board.writeFile('/cold.bin', data));
      await board.remove('/cold.bin');
      const upload = () => measure(() => board.writeFile('/up.bin', data));
      const download = () =>
        measure(async () => {
          assert.deepEqual(await board.readFile('/up.bin'), data);
        });
      const up = await upload();
      const down = await download();
      const show = (m: { ratio: number; rate: number; kbps: number }) =>
        `${m.ratio.toFixed(3)} wire B/B, ${m.kbps.toFixed(1)} KB/s` +
        (facts.baud ? `, ${(m.rate * 100).toFixed(1)} % of line rate` : '');
      c.diagnostic(`${kind} upload, first on the connection (probe + helper): ${show(cold)}`);
      c.diagnostic(`${kind} upload: ${show(up)}`);
      c.diagnostic(`${kind} download: ${show(down)}`);
      assert.equal(up.dropped + down.dropped + cold.dropped, 0, 'the board dropped bytes');
      assert.ok(up.ratio <= limits.up, `upload ratio ${up.ratio}`);
      assert.ok(down.ratio <= limits.down, `download ratio ${down.ratio}`);
      if (facts.baud) {
        // Loose: a stalled window shows up as a rate far below the line, machine load does not.
        // A text protocol is held to the same use of the line (rate times wire bytes a byte).
        // Plain raw mode (no raw-paste) is paced at 1/1.4 of the line and pays a round trip for
        // each small exec a 9 KB heap can compile: at most 0.71 there.
        const use = (m: { ratio: number; rate: number }) =>
          facts.stdinBuffer ? m.rate : m.rate * m.ratio;
        const least = facts.rawPaste ? 0.6 : 0.5;
        // A stalled window stalls again; a moment of load on a 2-core machine running the
        // suite two files at a time (the virtual and emulated boards share its CPU) does not:
        // a direction below its bound is measured once more, and that one counts.
        let [upUse, downUse] = [use(up), use(down)];
        if (upUse < least) {
          upUse = use(await upload());
          c.diagnostic(
            `${kind} upload again: line use ${use(up).toFixed(3)} -> ${upUse.toFixed(3)}`,
          );
        }
        if (downUse < 0.6) {
          downUse = use(await download());
          c.diagnostic(
            `${kind} download again: line use ${use(down).toFixed(3)} -> ${downUse.toFixed(3)}`,
          );
        }
        assert.ok(upUse >= least && downUse >= 0.6, `line use ${upUse} ${downUse}`);
      }
    });
  });
}
