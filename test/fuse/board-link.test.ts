// test/fuse/board-link.test.ts: the mount's link to the board across a failure, on in-memory
// boards: calls wait for the reconnect, a read or whole-file write runs again on the new
// connection while a remove fails (whether it happened is unknown), and a board that stays away
// ends it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BoardFs } from '../../src/board/types.js';
import { TransportError } from '../../src/errors.js';
import { BoardLink, type MountSession } from '../../src/fuse/board-link.js';
import { MemoryBoard } from './memory-board.js';

/** A connection to `board` whose link can be cut: every later call fails as a cut link does. */
function session(board: BoardFs) {
  let lost: ((error: Error) => void) | undefined;
  let cut = false;
  const guarded = new Proxy(board, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (cut) return Promise.reject(new TransportError('lost the link: cable pulled'));
        return value.apply(target, args);
      };
    },
  });
  const closed = { count: 0 };
  const mountSession: MountSession = {
    board: guarded,
    onLost: (listener) => {
      lost = listener;
    },
    close: async () => {
      closed.count++;
    },
  };
  return {
    session: mountSession,
    closed,
    /** Pull the cable; `tell`: the link says so at once (else a call finds out). */
    cut(tell: boolean) {
      cut = true;
      if (tell) lost?.(new Error('cable pulled'));
    },
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const quick = { initialMs: 5, maxMs: 20 };

describe('BoardLink', () => {
  it('a read that meets a cut runs again once the link is back; events in order', async () => {
    const board = new MemoryBoard();
    await board.writeFile('/a.py', bytes('a'));
    const first = session(board);
    const second = session(board);
    const events: string[] = [];
    const link = new BoardLink(
      first.session,
      { session: first.session, connect: async () => second.session, backoff: quick },
      { lost: (e) => events.push(`lost ${e.message}`), back: () => events.push('back') },
    );
    first.cut(false);
    assert.deepEqual(await link.call((b) => b.readFile('/a.py'), true), bytes('a'));
    assert.deepEqual(events, ['lost lost the link: cable pulled', 'back']);
    assert.equal(first.closed.count, 1, 'the old connection is closed before the new one');
  });

  it('a remove that meets a cut fails; the next call goes through the new connection', async () => {
    const board = new MemoryBoard();
    await board.writeFile('/a.py', bytes('a'));
    const first = session(board);
    const second = session(board);
    const link = new BoardLink(
      first.session,
      { session: first.session, connect: async () => second.session, backoff: quick },
      { lost: () => {}, back: () => {} },
    );
    first.cut(false);
    await assert.rejects(
      link.call((b) => b.remove('/a.py'), false),
      TransportError,
    );
    await link.call((b) => b.remove('/a.py'), false);
    assert.equal(await board.stat('/a.py'), undefined);
  });

  it('a board that stays away: `gone` says so and every call fails with it', async () => {
    const first = session(new MemoryBoard());
    let attempts = 0;
    const link = new BoardLink(
      first.session,
      {
        session: first.session,
        connect: async () => {
          attempts++;
          throw new TransportError('no such port');
        },
        giveUpMs: 100,
        backoff: quick,
      },
      { lost: () => {}, back: () => {} },
    );
    first.cut(true);
    const error = await link.gone;
    assert.match(error.message, /^the board did not come back within 0 s \(cable pulled\)$/);
    assert.ok(attempts >= 2, `${attempts} attempts`);
    await assert.rejects(
      link.call((b) => b.listDir('/'), true),
      (e) => e === error,
    );
  });

  it('without reconnect options a failure passes through and nothing reconnects', async () => {
    const first = session(new MemoryBoard());
    const link = new BoardLink(first.session, undefined, {
      lost: () => assert.fail('no reconnect'),
      back: () => {},
    });
    first.cut(true);
    await assert.rejects(
      link.call((b) => b.listDir('/'), true),
      TransportError,
    );
    assert.equal(first.closed.count, 0);
  });
});
