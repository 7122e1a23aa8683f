// test/sync/syncer.test.ts: the Syncer against an in-memory board: first sync by digest, patches
// for edits, renames, deletions, ignore rules, and reconnecting after the link drops.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { TransportError } from '../../src/errors.js';
import { type BoardSession, Syncer, type SyncerOptions } from '../../src/sync/syncer.js';
import { MemoryBoard } from './memory-board.js';

let folder: string;
let board: MemoryBoard;
let logs: string[];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'mpy-sync-'));
  board = new MemoryBoard();
  logs = [];
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function syncer(options: Partial<SyncerOptions> = {}): Syncer {
  return new Syncer({
    folder,
    target: '/',
    delete: true,
    connect: async (): Promise<BoardSession> => {
      if (board.unplugged) throw new TransportError('no port');
      return { board, close: async () => {} };
    },
    log: (line) => logs.push(line),
    backoff: { initialMs: 1, maxMs: 5 },
    ...options,
  });
}

async function put(path: string, content: string): Promise<void> {
  await mkdir(join(folder, path, '..'), { recursive: true });
  await writeFile(join(folder, path), content);
}

test('first sync sends the tree, skips ignored files and keeps ignored board files', async () => {
  await put('main.py', 'print(1)\n');
  await put('lib/util.py', 'X = 1\n');
  await put('.main.py.swp', 'swap');
  await put('notes.txt', 'local notes');
  await put('.gitignore', 'notes.txt\n');
  await mkdir(join(folder, 'empty'));
  board.files.set('/boot.py', new TextEncoder().encode('# boot'));
  board.files.set('/stale.py', new TextEncoder().encode('old'));
  board.files.set('/notes.txt', new TextEncoder().encode('board notes'));
  const s = syncer();
  const report = await s.applyBurst([]);
  assert.equal(report.verified, true);
  // boot.py is not in the folder and not ignored: mirrored away; notes.txt is ignored: kept.
  assert.deepEqual(board.snapshot(), {
    '.gitignore': 'notes.txt\n',
    'lib/util.py': 'X = 1\n',
    'main.py': 'print(1)\n',
    'notes.txt': 'board notes',
  });
  assert.ok(board.dirs.has('/empty'));
  assert.equal(board.count('digestTree'), 1);
  assert.match(logs[0]!, /^synced 5 files \(3 written, 2 removed, 2 folders made\), \d+ ms$/);
  await s.close();
});

test('an unchanged folder sends nothing; an edit is patched; the board is read once', async () => {
  const big = Array.from({ length: 800 }, (_, i) => `v${i} = ${i}\n`).join('');
  await put('big.py', big);
  const s = syncer();
  await s.applyBurst([]);
  assert.deepEqual((await s.applyBurst(['big.py'])).actions, []);
  await put('big.py', big.replace('v400 = 400', 'v400 = 401'));
  const report = await s.applyChange('big.py');
  assert.deepEqual(report.counts.patched, 1);
  assert.equal(board.count('patchFile'), 1);
  assert.equal(board.count('writeFile'), 1, 'only the first upload was whole');
  assert.equal(board.count('digestTree'), 1);
  assert.equal(board.snapshot()['big.py'], big.replace('v400 = 400', 'v400 = 401'));
  await s.close();
});

test('a refused patch (board file changed behind our back) falls back to a whole write', async () => {
  const text = Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join('');
  await put('a.py', text);
  const s = syncer();
  await s.applyBurst([]);
  board.files.set('/a.py', new TextEncoder().encode(`${text}# edited on the board\n`));
  await put('a.py', text.replace('line 7', 'line seven'));
  const report = await s.applyChange('a.py');
  assert.equal(report.counts.written, 1);
  assert.equal(board.snapshot()['a.py'], text.replace('line 7', 'line seven'));
  await s.close();
});

test('deletes, file renames and folder renames are mirrored; --no-delete keeps files', async () => {
  await put('a.py', 'a content');
  await put('lib/x.py', 'x content');
  await put('lib/sub/y.py', 'y content');
  await put('gone.py', 'bye');
  const s = syncer();
  await s.applyBurst([]);
  await rm(join(folder, 'gone.py'));
  await rename(join(folder, 'a.py'), join(folder, 'b.py'));
  await rename(join(folder, 'lib'), join(folder, 'drivers'));
  const report = await s.applyBurst(['gone.py', 'a.py', 'b.py', 'lib', 'drivers']);
  assert.equal(board.count('rename'), 2);
  assert.equal(board.count('writeFile'), 4, 'nothing re-sent');
  assert.equal(report.counts.removed, 1);
  assert.deepEqual(board.snapshot(), {
    'b.py': 'a content',
    'drivers/sub/y.py': 'y content',
    'drivers/x.py': 'x content',
  });
  assert.equal(board.dirs.has('/lib'), false);
  await s.close();

  const keep = syncer({ delete: false });
  await rm(join(folder, 'b.py'));
  await keep.applyBurst([]);
  assert.equal(board.snapshot()['b.py'], 'a content');
  await keep.close();
});

test("delete 'local': the board's own files stay; files deleted from the folder go", async () => {
  await put('main.py', 'm');
  await put('lib/a.py', 'a');
  await put('old.py', 'o');
  board.files.set('/wifi.json', new TextEncoder().encode('{}'));
  board.dirs.add('/lib');
  board.files.set('/lib/cal.txt', new TextEncoder().encode('42'));
  const s = syncer({ delete: 'local' });
  assert.equal((await s.applyBurst([])).counts.removed, 0);
  await rm(join(folder, 'old.py'));
  await rm(join(folder, 'lib'), { recursive: true });
  const report = await s.applyBurst(['old.py', 'lib']);
  assert.equal(report.counts.removed, 2);
  // lib/ stays for the board's cal.txt; a.py (the folder's) went.
  assert.deepEqual(board.snapshot(), { 'lib/cal.txt': '42', 'main.py': 'm', 'wifi.json': '{}' });
  // A new syncer (a new watch) has seen nothing deleted: a board file it never had stays.
  board.files.set('/stale.py', new TextEncoder().encode('s'));
  const again = syncer({ delete: 'local' });
  await again.applyBurst([]);
  assert.equal(board.snapshot()['stale.py'], 's');
  await again.close();
  await s.close();
});

test('preview plans without changing the board; check reads it back', async () => {
  await put('main.py', 'new');
  await put('lib/a.py', 'a');
  board.files.set('/main.py', new TextEncoder().encode('old'));
  board.files.set('/extra.py', new TextEncoder().encode('e'));
  const s = syncer({ delete: true, reconnect: false, prepareEdits: false, target: '/' });
  const before = board.snapshot();
  const preview = await s.preview();
  assert.deepEqual(preview.actions, [
    { type: 'mkdir', path: 'lib' },
    { type: 'remove', path: 'extra.py' },
    { type: 'write', path: 'lib/a.py' },
    { type: 'write', path: 'main.py' },
  ]);
  assert.deepEqual([...preview.remote.keys()].sort(), ['extra.py', 'main.py']);
  assert.deepEqual(board.snapshot(), before);
  assert.equal(board.count('writeFile') + board.count('remove') + board.count('mkdir'), 0);
  assert.deepEqual(await s.check(), {
    missing: ['lib/a.py'],
    differing: ['main.py'],
    extra: ['extra.py'],
    files: 2,
    leftOut: [],
  });
  await s.resync();
  assert.deepEqual(await s.check(), {
    missing: [],
    differing: [],
    extra: [],
    files: 2,
    leftOut: [],
  });
  await s.close();
});

test('reconnect false: a link lost mid-sync fails the sync instead of waiting', async () => {
  await put('main.py', 'm');
  const s = syncer({ reconnect: false });
  await s.applyBurst([]);
  board.unplugged = true;
  await put('main.py', 'm2');
  await assert.rejects(s.applyBurst(['main.py']), TransportError);
  await s.close();
});

test('a board folder as target is created and mirrored into', async () => {
  await put('main.py', 'm');
  const s = syncer({ target: '/app' });
  await s.applyBurst([]);
  assert.deepEqual(board.snapshot('/app'), { 'main.py': 'm' });
  await s.close();
});

test('link lost mid-watch: changes wait, then a digest resync makes the board equal', async () => {
  await put('a.py', 'one\n');
  await put('b.py', 'two\n');
  let connects = 0;
  const s = syncer({
    connect: async () => {
      connects++;
      // The cable comes back on the third attempt.
      if (connects === 3) board.unplugged = false;
      if (board.unplugged) throw new TransportError('gone');
      return { board, close: async () => {} };
    },
  });
  await s.applyBurst([]);
  board.unplugged = true;
  await put('a.py', 'one edited\n');
  await rm(join(folder, 'b.py'));
  await put('c.py', 'three\n');
  const report = await s.applyBurst(['a.py', 'b.py', 'c.py']);
  assert.equal(report.verified, true);
  assert.equal(connects, 3);
  assert.equal(board.count('digestTree'), 2);
  assert.deepEqual(board.snapshot(), { 'a.py': 'one edited\n', 'c.py': 'three\n' });
  assert.ok(logs.some((l) => l.startsWith('board lost')));
  await s.close();
});

test('bursts requested while a sync runs are merged into one next sync', async () => {
  await put('a.py', 'a');
  const s = syncer();
  const first = s.applyBurst([]);
  await put('b.py', 'b');
  const second = s.applyBurst(['b.py']);
  const third = s.applyBurst(['b.py']);
  assert.equal(second, third);
  await Promise.all([first, second]);
  assert.deepEqual(board.snapshot(), { 'a.py': 'a', 'b.py': 'b' });
  await s.close();
});

test('a board without folders gets the top-level files, and one line about the rest', async () => {
  board.flat = true;
  await put('main.py', 'm');
  await put('lib/x.py', 'x');
  const s = syncer();
  await s.applyBurst([]);
  assert.deepEqual(board.snapshot(), { 'main.py': 'm' });
  assert.ok(logs.includes('the board has no folders: skipping lib'));
  await s.close();
});

test('a symlink back up the tree is not followed forever', async () => {
  await put('a/b.py', 'b');
  await symlink(folder, join(folder, 'a', 'loop'));
  const s = syncer();
  await s.applyBurst([]);
  assert.deepEqual(board.snapshot(), { 'a/b.py': 'b' });
  await s.close();
});

test('a link that ends by itself is re-verified at once, without waiting for a change', async () => {
  await put('a.py', 'a');
  const lost: ((error: Error) => void)[] = [];
  let connects = 0;
  const s = syncer({
    connect: async () => {
      connects++;
      return { board, close: async () => {}, onLost: (listener) => lost.push(listener) };
    },
  });
  await s.applyBurst([]);
  // The board was wiped while away (a reflash, say): the resync by digest restores it.
  board.files.clear();
  lost[0]!(new TransportError('unplugged'));
  const deadline = Date.now() + 5000;
  while (board.snapshot()['a.py'] !== 'a') {
    assert.ok(Date.now() < deadline, `never re-synced: ${logs.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(connects, 2);
  assert.ok(logs.includes('board lost (unplugged), reconnecting'));
  await s.close();
});

test('a board that refuses renames gets the files sent under their new names', async () => {
  await put('a.py', 'a content');
  const s = syncer();
  await s.applyBurst([]);
  board.brokenRename = true;
  await rename(join(folder, 'a.py'), join(folder, 'b.py'));
  await s.applyBurst(['a.py', 'b.py']);
  assert.deepEqual(board.snapshot(), { 'b.py': 'a content' });
  assert.ok(
    logs.some((l) => l.startsWith('the board refused a rename')),
    logs.join('\n'),
  );
  await s.close();
});

test('--ignore patterns add to the defaults and .gitignore; ! re-includes', async () => {
  await put('main.py', 'm');
  await put('README.md', 'r');
  await put('docs/a.py', 'd');
  await put('keep.md', 'k');
  await put('.gitignore', '*.md\n');
  const s = syncer({ ignore: ['docs/', '!keep.md'] });
  await s.applyBurst([]);
  assert.deepEqual(Object.keys(board.snapshot()), ['.gitignore', 'keep.md', 'main.py']);
  await s.close();
});

const MPY_MAGIC = 'M'.charCodeAt(0);

test('--mpy sends modules compiled as .mpy, main.py and data files as they are', async () => {
  await put('main.py', 'import lib\n');
  await put('lib.py', 'X = 1\n');
  await put('pkg/__init__.py', '');
  await put('data.txt', 'text');
  board.files.set('/lib.py', new TextEncoder().encode('X = 0  # stale source\n'));
  const s = syncer({ mpy: true, delete: false });
  await s.applyBurst([]);
  assert.deepEqual([...board.files.keys()].sort(), [
    '/data.txt',
    '/lib.mpy',
    '/main.py',
    '/pkg/__init__.mpy',
  ]);
  assert.equal(board.files.get('/lib.mpy')![0], MPY_MAGIC);
  assert.equal(board.snapshot()['main.py'], 'import lib\n');
  // unchanged: nothing is compiled into a difference, nothing sent
  assert.deepEqual((await s.applyBurst(['lib.py'])).actions, []);
  await put('lib.py', 'X = 2\n');
  const report = await s.applyChange('lib.py');
  assert.equal(report.verified, false, 'nothing was sent: the board need not be read again');
  assert.equal(board.count('digestTree'), 1);
  // planned as a patch (the board holds the base), sent whole: bytecode does not diff as text
  assert.deepEqual(report.actions, [{ type: 'patch', path: 'lib.mpy' }]);
  assert.equal(report.counts.written, 1);
  assert.equal(board.count('patchFile'), 0);
  await s.close();
});

test('--mpy: a one-line edit of a bigger module is a binary patch of its .mpy', async () => {
  const lines = Array.from({ length: 300 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`);
  await put('big.py', lines.join('\n'));
  const s = syncer({ mpy: true });
  await s.applyBurst([]);
  lines[150] = 'def f150(x):\n    return x - 150\n';
  await put('big.py', lines.join('\n'));
  const report = await s.applyChange('big.py');
  assert.equal(report.counts.patched, 1);
  assert.equal(board.count('patchFile'), 1);
  const fresh = syncer({ mpy: true });
  // a second syncer compiles the edited file itself: the board holds exactly that
  assert.deepEqual((await fresh.applyBurst([])).actions, []);
  await s.close();
  await fresh.close();
});

test('--mpy: deleting x.py removes x.mpy even with *.mpy ignored; other .mpy stay', async () => {
  await put('.gitignore', '*.mpy\n');
  await put('lib.py', 'X = 1\n');
  await put('util.py', 'Y = 1\n');
  board.files.set('/old.mpy', new TextEncoder().encode('M\x06 ignored, not ours'));
  const s = syncer({ mpy: true });
  await s.applyBurst([]);
  assert.ok(board.files.has('/lib.mpy') && board.files.has('/util.mpy'));
  await rm(join(folder, 'lib.py'));
  const report = await s.applyChange('lib.py');
  assert.deepEqual(report.actions, [{ type: 'remove', path: 'lib.mpy' }]);
  assert.deepEqual([...board.files.keys()].sort(), ['/.gitignore', '/old.mpy', '/util.mpy']);
  await s.close();
});

test('--mpy: a syntax error fails the sync as file:line: message and sends nothing', async () => {
  await put('lib.py', 'X = 1\n');
  const s = syncer({ mpy: true });
  await s.applyBurst([]);
  const before = board.files.get('/lib.mpy');
  const writes = board.count('writeFile');
  await put('lib.py', 'X = (\n');
  await put('other.py', 'Z = 3\n');
  await assert.rejects(s.applyChange('lib.py'), (error: unknown) => {
    assert.equal(
      (error as Error).message,
      `${join(folder, 'lib.py')}:2: SyntaxError: invalid syntax`,
    );
    return true;
  });
  assert.equal(board.count('writeFile'), writes, 'other.py waits for the fix too');
  assert.equal(board.files.get('/lib.mpy'), before);
  await put('lib.py', 'X = 2\n');
  const report = await s.applyChange('lib.py');
  assert.equal(report.verified, false, 'nothing was sent: the board need not be read again');
  assert.equal(board.count('digestTree'), 1);
  assert.deepEqual(report.actions.map((a) => a.type !== 'rename' && a.path).sort(), [
    'lib.mpy',
    'other.mpy',
  ]);
  await s.close();
});

test('--mpy on a board that cannot load version 6 is refused before anything is sent', async () => {
  await put('lib.py', 'X = 1\n');
  board.target = { mpy: undefined, firmware: '1.9.2' };
  const s = syncer({ mpy: true });
  await assert.rejects(s.applyBurst([]), /^MpyError: --mpy: this board \(MicroPython 1\.9\.2\)/);
  assert.equal(board.files.size, 0);
  await s.close();
});
