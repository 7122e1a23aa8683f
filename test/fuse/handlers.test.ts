// test/fuse/handlers.test.ts: what the kernel is told: stat and statvfs built from board data,
// and the errno every kind of failure becomes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoardError, TimeoutError, TransportError } from '../../src/errors.js';
import {
  EIO,
  ENOENT,
  ENOSPC,
  ENOTEMPTY,
  ETIMEDOUT,
  errnoOf,
  FsError,
} from '../../src/fuse/errno.js';
import { statfsOf, statOf } from '../../src/fuse/handlers.js';

const owner = { uid: 1000, gid: 100 };

describe('statOf', () => {
  it('files are 0644 regular files, folders 0755 directories, owned by the user', () => {
    const file = statOf({ kind: 'file', size: 1025, mtime: 1_700_000_000 }, owner, 0);
    assert.equal(file.mode, 0o100644);
    assert.equal(file.size, 1025);
    assert.equal(file.blocks, 3);
    assert.equal(file.mtime, 1_700_000_000_000);
    assert.deepEqual([file.uid, file.gid], [1000, 100]);
    const dir = statOf({ kind: 'dir', size: 0 }, owner, 42);
    assert.equal(dir.mode, 0o040755);
    assert.equal(dir.nlink, 2);
    assert.equal(dir.mtime, 42, 'no board time: the mount time');
  });

  it('a board without a clock (times near its epoch) shows the mount time', () => {
    assert.equal(statOf({ kind: 'file', size: 0, mtime: 3600 }, owner, 7).mtime, 7);
  });
});

describe('statfsOf', () => {
  it('turns bytes into blocks for df', () => {
    const fs = statfsOf({ blockSize: 4096, totalBytes: 2 * 1024 * 1024, freeBytes: 409_600 });
    assert.deepEqual(
      [fs.bsize, fs.frsize, fs.blocks, fs.bfree, fs.bavail],
      [4096, 4096, 512, 100, 100],
    );
    assert.equal(fs.namemax, 255);
  });
});

describe('errnoOf', () => {
  it('passes board errnos the kernel knows, quietly', () => {
    const board = (errno: number) => new BoardError('OSError', `[Errno ${errno}] X`, '');
    assert.deepEqual(errnoOf(board(2)), { errno: ENOENT, unexpected: false });
    assert.deepEqual(errnoOf(board(28)), { errno: ENOSPC, unexpected: false });
    assert.deepEqual(errnoOf(board(39)), { errno: ENOTEMPTY, unexpected: false });
    assert.deepEqual(errnoOf(new FsError(ENOENT)), { errno: ENOENT, unexpected: false });
  });

  it('anything else is EIO (or ETIMEDOUT) worth a log line', () => {
    assert.deepEqual(errnoOf(new BoardError('MemoryError', '', '')), {
      errno: EIO,
      unexpected: true,
    });
    assert.deepEqual(errnoOf(new BoardError('OSError', '[Errno 5] EIO', '')), {
      errno: EIO,
      unexpected: true,
    });
    assert.deepEqual(errnoOf(new TransportError('link cut')), { errno: EIO, unexpected: true });
    assert.deepEqual(errnoOf(new TimeoutError('slow')), { errno: ETIMEDOUT, unexpected: true });
  });
});
