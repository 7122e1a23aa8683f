// test/dev/loop.test.ts: the `mpy dev` loop on the virtual board in process: main.py runs after
// the first sync and again after each save, typed lines reach the prompt, status lines keep to
// their own lines, `--run FILE` with Ctrl-C and Ctrl-D, main.py from the raw REPL where a reboot
// closes the link (WebREPL), and a pulled cable is resynced.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import { type DevLoop, type DevProgram, startDev } from '../../src/dev/loop.js';
import type { RawRepl } from '../../src/repl/raw-repl.js';
import type { BoardSession } from '../../src/sync/session.js';
import { openTestBoard, type TestBoard } from '../helpers/boards.js';

const latin1 = new TextDecoder('latin1');
/** Longest wait for something to show (generous: a loaded 2-core machine), then fail. */
const WAIT_MS = 20_000;

interface Rig {
  folder: string;
  board: TestBoard;
  loop: DevLoop;
  /** Everything written to the terminal so far. */
  screen(): string;
  /** Resolves once the screen (after `from` characters) shows `text`; returns where it ends. */
  shows(text: string, from?: number): Promise<number>;
  type(text: string | Uint8Array): void;
  close(): Promise<void>;
}

async function rig(
  files: Record<string, string>,
  program: DevProgram,
  session: Partial<BoardSession> = {},
): Promise<Rig> {
  const folder = await mkdtemp(join(tmpdir(), 'mpy-dev-loop-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
  const board = await openTestBoard('inproc', { repl: { answerTimeoutMs: 3000 } });
  let unused: RawRepl | undefined = board.repl;
  const connect = async (): Promise<BoardSession> => {
    const repl = unused ?? (await board.connect());
    unused = undefined;
    return {
      board: new Board(repl),
      repl,
      close: () => repl.close(),
      onLost: (listener) => repl.transport.onClose((error) => error && listener(error)),
      ...session,
    };
  };
  let text = '';
  const waiters: (() => void)[] = [];
  const loop = await startDev({
    folder,
    target: '/',
    delete: true,
    program,
    connect,
    write: (data) => {
      text += typeof data === 'string' ? data : latin1.decode(data);
      for (const wake of waiters.splice(0)) wake();
    },
    backoff: { initialMs: 50, maxMs: 200 },
  });
  const shows = async (wanted: string, from = 0) => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const at = text.indexOf(wanted, from);
      if (at >= 0) return at + wanted.length;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `${JSON.stringify(wanted)} not shown in ${WAIT_MS} ms:\n${text.slice(from)}`,
        );
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  };
  return {
    folder,
    board,
    loop,
    screen: () => text,
    shows,
    type: (keys) => loop.keys(typeof keys === 'string' ? new TextEncoder().encode(keys) : keys),
    close: async () => {
      await loop.close();
      await board.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Every status line of ours starts a line: the character before it is a line break. */
function assertStatusOnOwnLines(screen: string): void {
  for (const match of screen.matchAll(/(synced|board up to date|board lost|board back)/g)) {
    const before = screen[match.index - 1];
    assert.ok(
      match.index === 0 || before === '\n',
      `status inside output: ${JSON.stringify(screen.slice(match.index - 20, match.index + 20))}`,
    );
  }
}

describe('mpy dev loop (virtual board)', () => {
  test('main.py runs after the first sync and after a save; the prompt takes typed lines', async () => {
    const r = await rig({ 'main.py': "print('v1')\n" }, { kind: 'main' });
    try {
      let at = await r.shows('v1\r\n');
      at = await r.shows('>>> ', at);
      await writeFile(join(r.folder, 'main.py'), "print('v2')\n");
      at = await r.shows('synced main.py (', at);
      at = await r.shows('v2\r\n', at);
      at = await r.shows('>>> ', at);
      r.type('print(6*7)\r');
      await r.shows('42\r\n', at);
      assertStatusOnOwnLines(r.screen());
      assert.doesNotMatch(r.screen(), /v2\r\n[\s\S]*v1\r\n/);
    } finally {
      await r.close();
    }
  });

  test('a save while main.py loops forever stops it and runs the new one; Ctrl-C stops it', async () => {
    const loopForever =
      "import time\nn=0\nwhile True:\n    print('tick', n, end=' ')\n    n+=1\n    time.sleep_ms(20)\n";
    const r = await rig({ 'main.py': loopForever }, { kind: 'main' });
    try {
      let at = await r.shows('tick 3 ');
      await writeFile(join(r.folder, 'main.py'), loopForever.replace("'tick'", "'tock'"));
      at = await r.shows('tock 3 ', at);
      // The program prints without ending its lines: the status line broke one first.
      assertStatusOnOwnLines(r.screen());
      r.type(Uint8Array.of(0x03));
      at = await r.shows('KeyboardInterrupt', at);
      at = await r.shows('>>> ', at);
      r.type('print(6*7)\r');
      await r.shows('42\r\n', at);
    } finally {
      await r.close();
    }
  });

  test('--run FILE: runs it after a soft reset; Ctrl-C shows the traceback and the prompt; Ctrl-D runs it again', async () => {
    const app =
      "import time\nstarted = 7\nprint('app start')\nwhile True:\n    time.sleep_ms(20)\n";
    const r = await rig(
      { 'app.py': app, 'main.py': "print('not main')\n" },
      { kind: 'run', path: '/app.py' },
    );
    try {
      let at = await r.shows('app start\r\n');
      r.type(Uint8Array.of(0x03));
      at = await r.shows('KeyboardInterrupt', at);
      at = await r.shows('>>> ', at);
      // The program's globals are the prompt's, as main.py's are.
      r.type('print(started * 6)\r');
      at = await r.shows('42\r\n', at);
      at = await r.shows('>>> ', at);
      r.type(Uint8Array.of(0x04));
      // Run again from the prompt: its output starts a line of its own.
      const prompt = at;
      at = await r.shows('app start\r\n', at);
      assert.equal(r.screen().slice(prompt, at), '\napp start\r\n');
      await writeFile(join(r.folder, 'app.py'), app.replace('app start', 'app again'));
      await r.shows('app again\r\n', at);
      assert.doesNotMatch(r.screen(), /not main/);
    } finally {
      await r.close();
    }
  });

  test('a link the board closes as it reboots (WebREPL): main.py runs from the raw REPL, Ctrl-D runs it again; none is no error', async () => {
    // What main.py prints right after a reboot would reach the board's UART only.
    const r = await rig(
      { 'main.py': "started = 7\nprint('v1')\n" },
      { kind: 'main' },
      { rebootClosesLink: true },
    );
    try {
      let at = await r.shows('v1\r\n');
      at = await r.shows('>>> ', at);
      r.type('print(started * 6)\r');
      at = await r.shows('42\r\n', at);
      at = await r.shows('>>> ', at);
      r.type(Uint8Array.of(0x04));
      at = await r.shows('v1\r\n', at);
      at = await r.shows('>>> ', at);
      await rm(join(r.folder, 'main.py'));
      const synced = await r.shows('synced', at);
      await r.shows('>>> ', synced);
      assert.doesNotMatch(r.screen().slice(synced), /Error|Traceback/);
      assert.doesNotMatch(r.screen(), /soft reboot/);
    } finally {
      await r.close();
    }
  });

  test('a save that changes nothing still runs the program again (it was stopped at the event)', async () => {
    const r = await rig({ 'main.py': "print('v1')\n" }, { kind: 'main' });
    try {
      let at = await r.shows('v1\r\n');
      at = await r.shows('>>> ', at);
      await writeFile(join(r.folder, 'main.py'), "print('v1')\n");
      at = await r.shows('v1\r\n', at);
      await r.shows('>>> ', at);
      assert.doesNotMatch(r.screen().slice(at), /synced main\.py/);
    } finally {
      await r.close();
    }
  });

  test('a pulled cable: the loop says so, reconnects, resyncs and runs main.py again', async () => {
    const r = await rig({ 'main.py': "print('v1')\n" }, { kind: 'main' });
    try {
      let at = await r.shows('v1\r\n');
      at = await r.shows('>>> ', at);
      await r.board.cut();
      at = await r.shows('board lost', at);
      at = await r.shows('board up to date', at);
      at = await r.shows('v1\r\n', at);
      await writeFile(join(r.folder, 'main.py'), "print('v2')\n");
      await r.shows('v2\r\n', at);
      assertStatusOnOwnLines(r.screen());
    } finally {
      await r.close();
    }
  });
});
