// test/board/fallbacks.e2e.test.ts: each fast path is confirmed by its first use and given up for
// the connection, with one debug line, when the board does not behave. The real unix port is
// made to misbehave by a boot.py that puts stand-ins into sys.modules (so `import sys` and
// friends get them), as some consoles and broken builds do: a sys.stdin.buffer that carries
// nothing, a deflate that fails, a hashlib that fails.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { openSerial } from '../../src/transport/serial.js';
import { runBin } from '../commands/cli-run.js';
import { realBoardSkip, startRealBoard } from '../helpers/real-boards.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in module: a copy of `real`'s names, then `extra` lines of Python changing it. */
function standIn(name: string, extra: string): string {
  return [
    `import ${name} as _real`,
    'class _M:',
    '    pass',
    '_m = _M()',
    'for _n in dir(_real):',
    "    if not _n.startswith('__'):",
    '        setattr(_m, _n, getattr(_real, _n))',
    extra,
    `__import__('sys').modules['${name}'] = _m`,
  ].join('\n');
}

const DEAD_STDIN = standIn(
  'sys',
  [
    'import time',
    'class _Dead:',
    '    def read(self, n=-1):',
    '        while True:',
    '            time.sleep_ms(5)',
    '    readinto = read',
    'class _In:',
    '    buffer = _Dead()',
    '_m.stdin = _In()',
  ].join('\n'),
);

/** A stdin that ends at once: read gives b'' and readinto 0, as a console with nothing behind
 * its buffer does. */
const EMPTY_STDIN = standIn(
  'sys',
  [
    'class _Empty:',
    '    def read(self, n=-1):',
    "        return b''",
    '    def readinto(self, b):',
    '        return 0',
    'class _In:',
    '    buffer = _Empty()',
    '_m.stdin = _In()',
  ].join('\n'),
);

const BROKEN_DEFLATE = standIn(
  'deflate',
  [
    'def _broken(*a):',
    "    raise ValueError('deflate is broken here')",
    '_m.DeflateIO = _broken',
  ].join('\n'),
);

const BROKEN_HASHLIB = standIn(
  'hashlib',
  ['def _broken(*a):', '    raise OSError(95)', '_m.sha256 = _broken'].join('\n'),
);

async function misbehaving(bootPy: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-fallback-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'boot.py'), bootPy);
  const pty = await startRealBoard('unix', 0, ['--preload', dir]);
  const debug: string[] = [];
  const repl = await RawRepl.connect(await openSerial(pty.path), {
    debug: (line) => debug.push(line),
  });
  // Connecting interrupts what runs, and under load that can be boot.py itself, half-way: run
  // the stand-in again (it is idempotent) so the board misbehaves whatever the timing.
  await repl.exec(bootPy);
  const board = new Board(repl, { confirmMs: 800 });
  return {
    board,
    debug,
    dir,
    path: pty.path,
    repl,
    async close() {
      await repl.close();
      await pty.close();
    },
  };
}

const skip = realBoardSkip('unix');
const text = (s: string) => new TextEncoder().encode(s);

test('a sys.stdin.buffer that carries nothing: uploads go the text way', { skip }, async () => {
  const t = await misbehaving(DEAD_STDIN);
  try {
    // larger than a one-exec upload carries in its code (board.ts ONCE_PUT_MAX): through stdin
    const data = new Uint8Array(6000).map((_, i) => (i * 31) & 255);
    await t.board.writeFile('/a.bin', data);
    assert.deepEqual(await t.board.readFile('/a.bin'), data);
    await t.board.writeFile('/b.bin', data.slice(7));
    assert.deepEqual(await t.board.readFile('/b.bin'), data.slice(7));
    const said = t.debug.filter((line) => line.includes('stdin'));
    assert.equal(said.length, 1, t.debug.join('\n'));
    // nothing of the failed first attempt is left on the board
    assert.deepEqual((await t.board.listDir('/')).map((e) => e.name).sort(), [
      'a.bin',
      'b.bin',
      'boot.py',
    ]);
  } finally {
    await t.close();
  }
});

test('a sys.stdin.buffer that ends at once: uploads go the text way, small and large', {
  skip,
}, async () => {
  const t = await misbehaving(EMPTY_STDIN);
  try {
    const big = new Uint8Array(6000).map((_, i) => (i * 31) & 255);
    const small = big.slice(0, 1000);
    await t.board.writeFile('/big.bin', big);
    assert.deepEqual(await t.board.readFile('/big.bin'), big);
    await t.board.writeFile('/small.bin', small);
    assert.deepEqual(await t.board.readFile('/small.bin'), small);
    await t.board.writeFile('/big.bin', big.slice(3));
    assert.deepEqual(await t.board.readFile('/big.bin'), big.slice(3));
    const said = t.debug.filter((line) => line.includes('stdin'));
    assert.equal(said.length, 1, t.debug.join('\n'));
    assert.deepEqual((await t.board.listDir('/')).map((e) => e.name).sort(), [
      'big.bin',
      'boot.py',
      'small.bin',
    ]);
  } finally {
    await t.close();
  }
});

test('a sys.stdin.buffer that ends at once: a small file first, then a large one', {
  skip,
}, async () => {
  const t = await misbehaving(EMPTY_STDIN);
  try {
    const big = new Uint8Array(5000).map((_, i) => (i * 7) & 255);
    await t.board.writeFile('/s.txt', text('hello\n'));
    await t.board.writeFile('/l.bin', big);
    assert.deepEqual(await t.board.readFile('/l.bin'), big);
    assert.deepEqual(await t.board.readFile('/s.txt'), text('hello\n'));
  } finally {
    await t.close();
  }
});

test('mpy cp on a sys.stdin.buffer that ends at once: small and large files arrive', {
  skip,
}, async () => {
  const t = await misbehaving(EMPTY_STDIN);
  try {
    // the stand-in stays in sys.modules across connections; the CLI gets the port to itself
    await t.repl.close();
    const big = new Uint8Array(6000).map((_, i) => (i * 13) & 255);
    writeFileSync(join(t.dir, 'big.bin'), big);
    writeFileSync(join(t.dir, 'small.py'), 'print(1)\n');
    for (const name of ['small.py', 'big.bin']) {
      const result = await runBin('-d', t.path, 'cp', join(t.dir, name), `:${name}`);
      assert.equal(result.code, 0, result.stderr);
    }
    const back = join(t.dir, 'back.bin');
    const result = await runBin('-d', t.path, 'cp', ':big.bin', back);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(new Uint8Array(readFileSync(back)), big);
  } finally {
    await t.close().catch(() => {});
  }
});

test('a tree on a sys.stdin.buffer that ends at once: sent file by file', { skip }, async () => {
  const t = await misbehaving(EMPTY_STDIN);
  try {
    const { tree } = treeOf('empty');
    assert.equal(await t.board.writeTree(tree), true);
    await holds(t.board, tree.files);
    assert.equal(t.debug.filter((line) => line.includes('stdin')).length, 1, t.debug.join('\n'));
  } finally {
    await t.close();
  }
});

test('a deflate that fails: helper code and uploads travel uncompressed', { skip }, async () => {
  const t = await misbehaving(BROKEN_DEFLATE);
  try {
    const source = text('print("hello")\n'.repeat(400));
    await t.board.writeFile('/m.py', source);
    assert.deepEqual(await t.board.readFile('/m.py'), source);
    assert.ok(
      t.debug.some((line) => /deflate/.test(line)),
      t.debug.join('\n'),
    );
    await t.board.writeFile('/n.py', source);
    assert.equal(await t.board.digest('/n.py'), t.board.localDigest(source));
  } finally {
    await t.close();
  }
});

test('a hashlib that fails: the board checksum is followed', { skip }, async () => {
  const t = await misbehaving(BROKEN_HASHLIB);
  try {
    const data = text('x = 1\n'.repeat(100));
    await t.board.writeFile('/h.py', data);
    assert.deepEqual(await t.board.readFile('/h.py'), data);
    assert.ok(
      t.debug.some((line) => /adler|checksum/.test(line)),
      t.debug.join('\n'),
    );
    assert.equal(await t.board.digest('/h.py'), t.board.localDigest(data));
    assert.match(t.board.localDigest(data), /^600:/);
  } finally {
    await t.close();
  }
});

/** Three files in two folders for `writeTree`, and what `onFile` said of each, in order. */
function treeOf(seed: string) {
  const files = ['/t/a.py', '/t/lib/b.py', '/t/lib/c.bin'].map((path, i) => ({
    path,
    data: text(`# ${seed} ${i}\n${'x = 1\n'.repeat(100 + i)}`),
  }));
  const told: boolean[] = [];
  return {
    tree: { folders: [], files, onFile: (_: string, sent: boolean) => told.push(sent) },
    told,
  };
}

async function holds(board: Board, files: { path: string; data: Uint8Array }[]): Promise<void> {
  for (const { path, data } of files) assert.deepEqual(await board.readFile(path), data, path);
}

test('a tree on a sys.stdin.buffer that carries nothing: compared, then sent file by file', {
  skip,
}, async () => {
  const t = await misbehaving(DEAD_STDIN);
  try {
    const { tree, told } = treeOf('dead');
    assert.equal(await t.board.writeTree(tree), true);
    assert.deepEqual(told, [true, true, true]);
    await holds(t.board, tree.files);
    assert.equal(t.debug.filter((line) => line.includes('stdin')).length, 1, t.debug.join('\n'));
    assert.deepEqual((await t.board.listDir('/t/lib')).map((e) => e.name).sort(), [
      'b.py',
      'c.bin',
    ]);
  } finally {
    await t.close();
  }
});

test('a tree on a deflate that fails: not taken, and not tried again', { skip }, async () => {
  const t = await misbehaving(BROKEN_DEFLATE);
  try {
    const { tree, told } = treeOf('deflate');
    assert.equal(await t.board.writeTree(tree), false);
    assert.deepEqual(told, []);
    assert.ok(
      t.debug.some((line) => /tree/.test(line)),
      t.debug.join('\n'),
    );
    const lines = t.debug.length;
    assert.equal(await t.board.writeTree(tree), false);
    assert.equal(t.debug.length, lines, 'given up for the connection');
  } finally {
    await t.close();
  }
});

test('a tree on a hashlib that fails: the board checksum is followed', { skip }, async () => {
  const t = await misbehaving(BROKEN_HASHLIB);
  try {
    const first = treeOf('hash');
    assert.equal(await t.board.writeTree(first.tree), true);
    await holds(t.board, first.tree.files);
    assert.ok(
      t.debug.some((line) => /adler|checksum/.test(line)),
      t.debug.join('\n'),
    );
    // now compared by the checksum the board computes: all held
    const again = treeOf('hash');
    assert.equal(await t.board.writeTree(again.tree), true);
    assert.deepEqual(again.told, [false, false, false]);
  } finally {
    await t.close();
  }
});
