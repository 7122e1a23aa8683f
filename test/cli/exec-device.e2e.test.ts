// test/cli/exec-device.e2e.test.ts: `mpy -d exec:COMMAND` end to end with the built bin/mpy.js on
// real firmwares run as board programs (the unix port, the micro:bit in qemu): exec prints, and
// a board program that dies mid-command ends mpy with one clear line and exit 2.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runBin } from '../commands/cli-run.js';
import { BOARD_KINDS, type BoardKind, kindSkip } from '../helpers/board-kinds.js';
import { type RealBoardName, realBoardCommand } from '../helpers/real-boards.js';

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** `exec:` + the board's command line, optionally run under `prefix` (e.g. a timeout). */
function device(name: RealBoardName, prefix: string[] = []): string {
  return `exec:${[...prefix, ...realBoardCommand(name)].map(shellQuote).join(' ')}`;
}

// The board kinds whose firmware runs here as a board program (no pty, so no baud rate).
const boards: Array<{ kind: BoardKind & RealBoardName; newline: string; sleep: string }> = [
  { kind: 'unix', newline: '\n', sleep: 'import time\ntime.sleep(60)' },
  { kind: 'microbit', newline: '\r\n', sleep: 'import utime\nutime.sleep(60)' },
];

for (const { kind: name, newline, sleep } of boards.filter((b) => BOARD_KINDS.includes(b.kind))) {
  describe(`mpy -d exec:… on ${name}`, { skip: kindSkip(name) }, () => {
    test('exec prints the board output and exits 0', async () => {
      const result = await runBin('-d', device(name), 'exec', 'print(6*7)');
      assert.deepEqual(
        { ...result, stdout: result.stdout.toString() },
        { code: 0, stdout: `42${newline}`, stderr: '' },
      );
    });

    test('the board program dying mid-exec is one clear line and exit 2', async () => {
      // The board is powered off after 3 s while the code sleeps for a minute. (--foreground:
      // else timeout kills its own group too and sh reports "Killed" on the board's stderr.)
      const started = Date.now();
      const killer = ['timeout', '--foreground', '-s', 'KILL', '3'];
      const result = await runBin('-d', device(name, killer), 'exec', sleep);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout.toString(), '');
      assert.match(result.stderr, /^mpy: .*the board program (exited|was killed)[^\n]*\n$/);
      assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms`);
    });
  });
}
