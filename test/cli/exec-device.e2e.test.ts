// test/cli/exec-device.e2e.test.ts: `mpy -d exec:COMMAND` end to end with the built bin/mpy.js on
// real firmwares run as board programs (the unix port, the micro:bit in qemu): exec prints, and
// a board program that dies mid-command ends mpy with one clear line and exit 2.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('mpy cp on a micro:bit v1 whose flash cannot hold a file twice', {
  skip: BOARD_KINDS.includes('microbit') ? kindSkip('microbit') : 'microbit not in MPY_TEST_KINDS',
}, () => {
  test('refused saying it needs two copies; --direct writes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpy-direct-'));
    try {
      const file = join(dir, 'big.py');
      writeFileSync(file, 'display.scroll("hello")  # x\n'.repeat(330));
      const refused = await runBin('-d', device('microbit'), 'cp', file, ':main.py');
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(
        refused.stderr,
        /cp: main\.py: No space left on device: needs room for two copies \(temp file and copy\): 19,140 B of 14,000 B free on a micro:bit v1; cp --direct writes one copy/,
      );
      const direct = await runBin(
        '-d',
        device('microbit'),
        'cp',
        '--direct',
        file,
        ':main.py',
        '+',
        'ls',
      );
      assert.equal(direct.code, 0, direct.stderr);
      assert.match(direct.stdout.toString(), /9570 main\.py/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
