// test/board/exchanges.test.ts: the usual commands on a fresh board, byte for byte as recorded on
// the real qemuboard (test/fixtures/exchanges/, see record-exchanges.ts): a replaying board on a
// TCP socket answers each turn only when the host sent exactly the recorded bytes, so a change
// that adds a round trip, an exec or a byte to `mpy ls` / `mpy cp` fails here.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../bench/harness.js';
import { type ExchangeFixture, loadExchanges } from './exchange-fixture.js';

/** Serve `fixture`'s board side; resolves with how far the host got and what differed. */
async function replay(fixture: ExchangeFixture) {
  const state = { turn: 0, got: '', mismatch: undefined as string | undefined };
  let socket: Socket | undefined;
  const server = createServer((s) => {
    socket = s;
    s.on('data', (data: Buffer) => {
      state.got += data.toString('latin1');
      for (;;) {
        const turn = fixture.turns[state.turn];
        if (!turn || state.got.length < turn.host.length) return;
        const sent = state.got.slice(0, turn.host.length);
        if (sent !== turn.host) {
          state.mismatch ??= `turn ${state.turn}: expected ${JSON.stringify(turn.host)}, got ${JSON.stringify(sent)}`;
          return;
        }
        state.got = state.got.slice(turn.host.length);
        state.turn++;
        if (turn.board) s.write(Buffer.from(turn.board, 'latin1'));
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    device: `socket://127.0.0.1:${port}`,
    state,
    close: () => {
      socket?.destroy();
      server.close();
    },
  };
}

for (const [name, fixture] of loadExchanges()) {
  test(`${name}: ${fixture.args.join(' ')} on a fresh board, turn for turn as recorded`, async () => {
    const board = await replay(fixture);
    const folder = mkdtempSync(join(tmpdir(), 'mpy-exchange-'));
    const here = process.cwd();
    for (const [file, text] of Object.entries(fixture.files)) {
      writeFileSync(join(folder, file), text, 'latin1');
    }
    process.chdir(folder);
    try {
      const out = await runCli(board.device, fixture.args);
      assert.equal(board.state.mismatch, undefined);
      assert.equal(out, fixture.stdout);
      // every turn taken, nothing more sent than recorded
      assert.equal(
        board.state.turn,
        fixture.turns.length,
        `host stopped at turn ${board.state.turn}`,
      );
      assert.equal(board.state.got, '');
      const copied = fixture.args.at(-1);
      if (fixture.args[0] === 'cp' && copied && !copied.startsWith(':')) {
        assert.equal(
          readFileSync(join(folder, copied), 'latin1'),
          fixture.files[fixture.args[1]!.slice(1)],
        );
      }
    } finally {
      process.chdir(here);
      board.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
}

test('the usual commands take one exec each, plus one to look before a copy', () => {
  const execs = new Map(
    [...loadExchanges()].map(([name, f]) => [
      name,
      f.turns.filter((turn) => turn.host.endsWith('\x05A\x01')).length,
    ]),
  );
  // ls: the listing; cp down: what the source is, the file; cp up: the digest of the board's
  // copy (skip when equal), the file
  assert.deepEqual(Object.fromEntries(execs), {
    'qemuboard-cp-down.json': 2,
    'qemuboard-cp-up.json': 2,
    'qemuboard-ls.json': 1,
  });
  const ls = loadExchanges().get('qemuboard-ls.json')!;
  assert.equal(ls.turns.length, 3, 'ls: enter the raw REPL, the raw-paste request, the code');
});
