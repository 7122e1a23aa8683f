// test/commands/stub-vfs.e2e.test.ts: on the real unix port, a folder mounted from a Python VFS
// that has no getcwd and raises a chosen error from open(): relative paths go to the board as
// they are (it resolves them, as mpremote lets it), and each errno reads as mpremote words it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CommandPtyServer } from '../../src/sim/index.js';
import { realBoardSkip, startRealBoard } from '../helpers/real-boards.js';
import { runBin } from './cli-run.js';

const STUB = [
  'import os, vfs, errno',
  'class ErrorFS:',
  '    def mount(self, *a, **k): pass',
  '    def umount(self, *a, **k): pass',
  '    def chdir(self, *a, **k): pass',
  '    def open(self, *a, **k): raise self.error',
  'fs = ErrorFS()',
  "vfs.mount(fs, '/fs')",
  "os.chdir('/fs')",
].join('\n');

describe('a folder whose filesystem has no getcwd (unix port)', {
  skip: realBoardSkip('unix'),
}, () => {
  let pty: CommandPtyServer;
  const mpy = (...args: string[]) => runBin('-d', pty.path, ...args);
  before(async () => {
    pty = await startRealBoard('unix', 0);
    const setup = await mpy('exec', STUB);
    assert.equal(setup.code, 0, setup.stderr);
  });
  after(() => pty?.close());

  for (const [name, text] of [
    ['ENOENT', 'No such file or directory'],
    ['EISDIR', 'Is a directory'],
    ['ENODEV', 'No such device'],
    ['EOPNOTSUPP', 'Operation not supported'],
  ]) {
    test(`cat of a file that raises ${name}`, async () => {
      const result = await mpy(
        'exec',
        `fs.error = OSError(errno.${name}, '')`,
        '+',
        'cat',
        `:${name}.py`,
      );
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), `mpy: cat: ${name}.py: ${text}.`);
    });
  }
});
