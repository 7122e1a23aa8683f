// test/commands/paths-and-errors.test.ts: the pure parts of mpremote's rules: relative board
// paths, the paths its messages show, errno names and texts, tree's sizes, rtc's tuple.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  boardDirname,
  joinBoardPath,
  relativeBoardPath,
  tempPathFor,
} from '../../src/board/paths.js';
import { explainBoardError, joinShown, resolveBoardPath } from '../../src/commands/board-path.js';
import { boardErrno, errnoText, localErrnoText } from '../../src/commands/errno-text.js';
import { rtcTuple } from '../../src/commands/rtc.js';
import { humanSize } from '../../src/commands/tree.js';
import { BoardError, TransportError } from '../../src/errors.js';

test('relative board paths start at the current folder, absolute ones stay', () => {
  assert.equal(resolveBoardPath(':', '/flash'), '/flash');
  assert.equal(resolveBoardPath('', '/flash'), '/flash');
  assert.equal(resolveBoardPath(':lib/x.py', '/flash'), '/flash/lib/x.py');
  assert.equal(resolveBoardPath('lib/../y.py', '/'), '/y.py');
  assert.equal(resolveBoardPath(':/sd/a', '/flash'), '/sd/a');
  assert.equal(resolveBoardPath(':.', '/ramdisk'), '/ramdisk');
});

test('relative board paths go to the board as they are, for it to resolve', () => {
  assert.equal(relativeBoardPath('ENOENT.py'), 'ENOENT.py');
  assert.equal(relativeBoardPath('./lib/../x.py'), 'x.py');
  assert.equal(relativeBoardPath('../up.py'), '../up.py');
  // the folder itself is '': FAT's os.stat('.') is EINVAL, micro:bit's listdir takes no '.'
  assert.equal(relativeBoardPath(''), '');
  assert.equal(joinBoardPath('', 'x.py'), 'x.py');
  assert.equal(joinBoardPath('lib', 'x.py'), 'lib/x.py');
  assert.equal(boardDirname('x.py'), '');
  assert.equal(boardDirname('/x.py'), '/');
  // and the temp file of a write beside it stays relative too
  assert.equal(tempPathFor('lib/x.py'), 'lib/.x.py.mpy-tmp');
  assert.equal(tempPathFor('x.py'), '.x.py.mpy-tmp');
  assert.equal(tempPathFor('/lib/x.py'), '/lib/.x.py.mpy-tmp');
});

test('shown paths join as mpremote joins them', () => {
  assert.equal(joinShown('', 'a.py'), './a.py');
  assert.equal(joinShown('aaa/', 'a.py'), 'aaa/a.py');
  assert.equal(joinShown('/', 'a.py'), '/a.py');
  assert.equal(joinShown('ramdisk', 'package', 'x.py'), 'ramdisk/package/x.py');
});

test('board errors: errno by name first, then by number; other errors as mpremote says', () => {
  const named = new BoardError(
    'OSError',
    '[Errno 2] ENOENT',
    'Traceback…\nOSError: [Errno 2] ENOENT\n',
  );
  assert.equal(boardErrno(named), 2);
  assert.equal(boardErrno(new BoardError('OSError', '95', '')), 95);
  assert.equal(boardErrno(new BoardError('OSError', '[Errno 19] ENODEV: ', '')), 19);
  assert.equal(boardErrno(new BoardError('ValueError', '2', '')), undefined);
  assert.equal(errnoText(21), 'Is a directory');
  assert.equal(
    localErrnoText(Object.assign(new Error('x'), { code: 'ENOENT' })),
    'No such file or directory',
  );
  assert.throws(() => explainBoardError('cat', 'a.py', named), {
    message: 'cat: a.py: No such file or directory.',
  });
  const other = new BoardError(
    'Exception',
    '',
    'Traceback (most recent call last):\r\nException: \r\n',
  );
  assert.throws(() => explainBoardError('cat', 'x.py', other), {
    message: 'Error with transport:\nTraceback (most recent call last):\nException:',
  });
  const lost = new TransportError('link lost');
  assert.throws(
    () => explainBoardError('cat', 'x.py', lost),
    (error) => error === lost,
  );
});

test("tree's sizes and rtc's tuple are Python's", () => {
  assert.deepEqual([0, 20, 1023, 1096, 1280, 1331, 2192, 1048576, 5 * 2 ** 40].map(humanSize), [
    '0',
    '20',
    '1023',
    '1.1K',
    '1.2K',
    '1.3K',
    '2.1K',
    '1.0M',
    '5.0T',
  ]);
  // 2024-01-07 was a Sunday: weekday 6 when Monday is 0
  assert.deepEqual(
    rtcTuple(new Date(2024, 0, 7, 13, 5, 9, 250)),
    [2024, 1, 7, 6, 13, 5, 9, 250000],
  );
});
