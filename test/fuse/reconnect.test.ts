// test/fuse/reconnect.test.ts: a real FUSE mount of a board (the sim in process and over a pty,
// the unix port) whose cable is pulled: requests wait instead of failing, the board is reached
// again once it is back and what changed meanwhile shows (the cache is dropped); a board that
// stays away ends the mount.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Board } from '../../src/board/board.js';
import { TransportError } from '../../src/errors.js';
import type { MountSession } from '../../src/fuse/board-link.js';
import { isMounted } from '../../src/fuse/mount.js';
import type { RawRepl } from '../../src/repl/raw-repl.js';
import {
  type BoardKind,
  kindSkip,
  kindsWhere,
  openTestBoard,
  type TestBoard,
} from '../helpers/boards.js';
import { fuseUnavailable, mountForTest, type TestMount } from './harness.js';

const noFuse = await fuseUnavailable();
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function sessionOf(repl: RawRepl): MountSession {
  return {
    board: new Board(repl),
    onLost: (listener) => repl.transport.onClose((error) => error && listener(error)),
    close: () => repl.close(),
  };
}

/** Log lines, and a promise for the first one from now on that matches. */
function logLines() {
  const lines: string[] = [];
  const waits = new Set<(line: string) => void>();
  return {
    lines,
    log: (line: string) => {
      lines.push(line);
      for (const wait of [...waits]) wait(line);
    },
    next: (pattern: RegExp, ms = 15_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waits.delete(wait);
          reject(new Error(`no log line ${pattern} within ${ms} ms:\n${lines.join('\n')}`));
        }, ms);
        const wait = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          waits.delete(wait);
          resolve(line);
        };
        waits.add(wait);
      }),
  };
}

// Where the files outlive a cut: the sim's cable is pulled with the board running on; the unix
// port loses power with its relay and comes back on the same flash image.
for (const kind of kindsWhere((facts) => facts.keepsFlashOffline && !facts.flat) as BoardKind[])
  describe(`mount on ${kind}: a pulled cable`, { skip: noFuse || kindSkip(kind) }, () => {
    const open: { board?: TestBoard; mount?: TestMount }[] = [];
    after(async () => {
      for (const { mount, board } of open) {
        await mount?.close();
        await board?.close();
      }
    });

    it('plugged back in: requests wait, then see what the board holds now', async () => {
      const t = await openTestBoard(kind);
      const rig: (typeof open)[number] = { board: t };
      open.push(rig);
      const first = sessionOf(t.repl);
      let current = first;
      await first.board.writeFile('/main.py', bytes('v = 1\n'));
      await first.board.writeFile('/gone.py', bytes('g = 1\n'));
      let plugIn!: () => void;
      const pluggedIn = new Promise<void>((resolve) => {
        plugIn = resolve;
      });
      const logs = logLines();
      rig.mount = await mountForTest(first.board, {
        log: logs.log,
        reconnect: {
          session: first,
          connect: async () => {
            await pluggedIn;
            current = sessionOf(await t.connect());
            return current;
          },
          backoff: { initialMs: 20, maxMs: 100 },
        },
      });
      const mount = rig.mount;
      assert.equal(await mount.ok('cat main.py'), 'v = 1\n');
      assert.equal(await mount.ok('ls'), 'gone.py\nmain.py\n');

      const lost = logs.next(/^board lost \(.*\), reconnecting$/);
      await t.cut();
      await lost;
      // A request while the board is away waits for it (an uncached file: it needs the board).
      const waiting = mount.sh('cat main.py other.py');
      // Meanwhile the board changes behind the mount's back (another tool, its own main.py).
      const other = new Board(await t.connect());
      await other.writeFile('/main.py', bytes('v = 2\n'));
      await other.writeFile('/other.py', bytes('o = 1\n'));
      await other.remove('/gone.py');
      await other.repl.close();
      const back = logs.next(/^board back/);
      plugIn();
      await back;
      const result = await waiting;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'v = 2\no = 1\n', 'the cached main.py was dropped');
      assert.equal(await mount.ok('ls'), 'main.py\nother.py\n');
      await mount.ok('echo "w = 1" > written.py');
      assert.equal(await mount.ok('cat written.py'), 'w = 1\n');
      assert.ok(!logs.lines.some((l) => /EIO|Input\/output/.test(l)), logs.lines.join('\n'));
      await mount.close();
      await current.close();
      assert.equal(text(await new Board(await t.connect()).readFile('/written.py')), 'w = 1\n');
    });

    it('not back within the bound: the mount ends with the reason, unmounted', async () => {
      const t = await openTestBoard(kind);
      const rig: (typeof open)[number] = { board: t };
      open.push(rig);
      const first = sessionOf(t.repl);
      await first.board.writeFile('/main.py', bytes('v = 1\n'));
      rig.mount = await mountForTest(first.board, {
        reconnect: {
          session: first,
          connect: async () => {
            throw new TransportError('no such port');
          },
          giveUpMs: 1000,
          backoff: { initialMs: 20, maxMs: 100 },
        },
      });
      const mount = rig.mount;
      assert.equal(await mount.ok('cat main.py'), 'v = 1\n');
      await t.cut();
      assert.equal(await mount.mounted.unmounted, 'lost');
      assert.match(
        mount.mounted.failure?.message ?? '',
        /^the board did not come back within 1 s \(.+\)$/,
      );
      assert.equal(await isMounted(mount.dir), false);
    });
  });
