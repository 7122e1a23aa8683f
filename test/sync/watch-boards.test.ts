// test/sync/watch-boards.test.ts: `watch` on many boards against in-memory boards: a board that
// does not answer is said once and synced when it does, one that leaves the device list is
// dropped with one line while the others go on, and a lost link of a board still listed
// reaches its Syncer (which reconnects).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TransportError } from '../../src/errors.js';
import type { BoardSession } from '../../src/sync/session.js';
import { type BoardEnd, BoardsWatch } from '../../src/sync/watch-boards.js';
import { MemoryBoard } from './memory-board.js';

/** Resolve once `check` holds (polled every 10 ms), or fail after `ms`. */
async function eventually(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('boards join when they answer and leave with one line; the others carry on', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'mpy-watch-boards-'));
  const abort = new AbortController();
  try {
    await writeFile(join(folder, 'main.py'), 'v1');
    const boards = new Map([
      ['a', new MemoryBoard()],
      ['b', new MemoryBoard()],
    ]);
    boards.get('b')!.unplugged = true;
    let listed = ['a', 'b'];
    const lines: string[] = [];
    const ends: Array<[string, BoardEnd]> = [];
    const lost = new Map<string, (error: Error) => void>();
    const watch = new BoardsWatch({
      folder,
      delete: 'local',
      pollMs: 20,
      quietMs: 10,
      devices: async () => listed,
      open: (device) => ({
        prepare: async () => ({ target: '/' }),
        connect: async (): Promise<BoardSession> => {
          const board = boards.get(device)!;
          if (board.unplugged) throw new TransportError(`${device} is not there`);
          return {
            board,
            close: async () => {},
            onLost: (listener) => lost.set(device, listener),
          };
        },
        log: (line) => lines.push(`${device}: ${line}`),
        output: () => {},
        close: async (end) => {
          ends.push([device, end]);
        },
      }),
      signal: abort.signal,
    });
    await watch.start();
    assert.deepEqual(boards.get('a')!.snapshot(), { 'main.py': 'v1' });
    assert.deepEqual(watch.devices, ['a']);
    // b is tried on every poll but said once
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(lines.filter((line) => line.startsWith('b: not answering')).length, 1);

    boards.get('b')!.unplugged = false;
    await eventually(() => boards.get('b')!.snapshot()['main.py'] === 'v1', 'b synced');

    await writeFile(join(folder, 'main.py'), 'v2');
    await eventually(
      () => [...boards.values()].every((board) => board.snapshot()['main.py'] === 'v2'),
      'the edit on both boards',
    );

    // a lost link of a board still listed goes to its Syncer, which says so and reconnects
    lost.get('b')!(new TransportError('hiccup'));
    await eventually(() => lines.some((line) => line.startsWith('b: board lost (hiccup)')), 'lost');

    // a's link goes with a's port: one line, no `board lost`
    boards.get('a')!.unplugged = true;
    listed = ['b'];
    lost.get('a')!(new TransportError('a hung up'));
    await eventually(() => ends.some(([device]) => device === 'a'), 'a dropped');
    assert.deepEqual(
      lines.filter((line) => line.startsWith('a: ') && !line.startsWith('a: synced')),
      ['a: unplugged: dropped (the other boards carry on)'],
    );
    await writeFile(join(folder, 'main.py'), 'v3');
    await eventually(() => boards.get('b')!.snapshot()['main.py'] === 'v3', 'b goes on');
    assert.equal(new TextDecoder().decode(boards.get('a')!.files.get('/main.py')), 'v2');
    await watch.close();
    assert.ok(ends.filter(([, end]) => end === 'unanswered').length >= 2, 'b tried each poll');
    assert.deepEqual(
      ends.filter(([, end]) => end !== 'unanswered'),
      [
        ['a', 'gone'],
        ['b', 'ok'],
      ],
    );
  } finally {
    abort.abort();
    await rm(folder, { recursive: true, force: true });
  }
});
