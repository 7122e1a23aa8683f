// test/board/board.e2e.test.ts: the board layer end to end on every board kind (the virtual board
// in process, over a pty and legacy; the real firmwares at 115200 baud and unthrottled): round
// trips, names that fight the quoting, folders, patches, soft resets, big files.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { Board } from '../../src/board/board.js';
import { sha256Hex } from '../../src/board/digest.js';
import { BoardError } from '../../src/errors.js';
import {
  BOARD_KINDS,
  boardFacts,
  kindSkip,
  openTestBoard,
  type TestBoard,
} from '../helpers/boards.js';

const text = (s: string) => new TextEncoder().encode(s);
const everyByte = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + (i >> 8)) & 255);
const oddNames = [
  'ünïcødé-☃.py',
  "it's.py",
  'say "hi".txt',
  'back\\slash.py',
  'new\nline.txt',
  "x'); import os; os.remove('main.py'); ('",
  'triple""" and \'\'\'.py',
];
/** What FAT cannot store (`"`, `\`, newlines): those names are another test's matter. */
const fatIllegal = /["\\\n]/;

for (const kind of BOARD_KINDS) {
  const facts = boardFacts(kind);
  describe(`board layer on ${kind}`, { skip: kindSkip(kind) }, () => {
    let t: TestBoard;
    let board: Board;
    before(async () => {
      t = await openTestBoard(kind);
      board = new Board(t.repl);
    });
    after(() => t.close());

    test('files round-trip exactly: text, every byte value, empty', async () => {
      for (const [name, data] of [
        ['/main.py', text('print("hello")\r\n# ünï\n')],
        ['/bytes.bin', everyByte],
        ['/empty.txt', new Uint8Array(0)],
        // Ctrl-C bytes only: what a reconnecting host sends, so never raw through put.py
        ['/ctrl-c.bin', new Uint8Array(1000).fill(3)],
      ] as const) {
        await board.writeFile(name, data);
        assert.deepEqual(await board.readFile(name), data, name);
        assert.equal(await board.digest(name), board.localDigest(data));
      }
    });

    test('names with quotes, newlines and unicode are data, never code', async () => {
      if (kind === 'pty') return; // the in-process and legacy runs cover it; keep the pty run short
      const names = facts.fatNames ? oddNames.filter((n) => !fatIllegal.test(n)) : oddNames;
      await board.writeFile('/main.py', text('print("hello")\n'));
      for (const [i, name] of names.entries()) {
        await board.writeFile(`/${name}`, text(`file ${i}`));
      }
      const listed = (await board.listDir('/')).map((e) => e.name);
      for (const name of names) assert.ok(listed.includes(name), `${JSON.stringify(name)} missing`);
      assert.ok(listed.includes('main.py'), 'main.py was removed by a name');
      for (const [i, name] of names.entries()) {
        assert.deepEqual(await board.readFile(`/${name}`), text(`file ${i}`));
        await board.remove(`/${name}`);
      }
      assert.ok(await board.stat('/main.py'));
    });

    test('FAT lists names in the order they were made: a written file takes the place a direct write gives it', {
      skip: facts.fatNames ? false : 'FAT only: other filesystems order names their own way',
    }, async () => {
      // a rename makes the new entry before freeing the old one, so a file committed from a
      // temp file would list after a folder made later (mpremote's `ls` order differs)
      await board.mkdir('/order');
      await board.writeFile('/order/b.py', text('b'));
      await board.mkdir('/order/a');
      await board.writeFile('/order/c.py', text('c'));
      await board.writeFile('/order/b.py', text('b again'));
      await board.mkdir('/order/d');
      const raw = await t.repl.eval("__import__('os').listdir('/order')");
      assert.deepEqual(raw, ['b.py', 'a', 'c.py', 'd']);
      assert.deepEqual(await board.readFile('/order/b.py'), text('b again'));
    });

    test('a small file written in one exec (a board nothing is known of) commits as the helper does', {
      skip: facts.flat ? 'folders: a flat filesystem has none' : false,
    }, async () => {
      // a Board per write: each starts knowing nothing, so each small write is py/once/put.py
      const fresh = () => new Board(t.repl);
      await fresh().mkdir('/one');
      await fresh().writeFile('/one/b.py', text('b'));
      await fresh().mkdir('/one/a');
      await fresh().writeFile('/one/c.py', text('c'));
      await fresh().writeFile('/one/b.py', text('b again'));
      await fresh().mkdir('/one/d');
      const raw = (await t.repl.eval("__import__('os').listdir('/one')")) as string[];
      // FAT keeps the order names were made in, as a direct write leaves it
      if (facts.fatNames) assert.deepEqual(raw, ['b.py', 'a', 'c.py', 'd']);
      else assert.deepEqual([...raw].sort(), ['a', 'b.py', 'c.py', 'd'], 'a temp file was left');
      assert.deepEqual(await fresh().readFile('/one/b.py'), text('b again'));
      assert.deepEqual(await fresh().readFile('/one/c.py'), text('c'));
      await board.removeTree('/one');
    });

    test('stat, listDir, rename, remove and errno on missing files', async () => {
      await board.writeFile('/a.txt', text('abc'));
      assert.deepEqual(
        { ...(await board.stat('/a.txt')), mtime: undefined },
        { kind: 'file', size: 3, mtime: undefined },
      );
      assert.equal(await board.stat('/nope'), undefined);
      await board.rename('/a.txt', '/b.txt');
      assert.equal(await board.stat('/a.txt'), undefined);
      const entry = (await board.listDir('/')).find((e) => e.name === 'b.txt');
      assert.deepEqual([entry?.kind, entry?.size], ['file', 3]);
      await board.remove('/b.txt');
      await assert.rejects(board.remove('/b.txt'), (e) => e instanceof BoardError && e.errno === 2);
      await assert.rejects(
        board.readFile('/b.txt'),
        (e) => e instanceof BoardError && e.errno === 2,
      );
      assert.equal(await board.digest('/b.txt'), undefined);
    });

    test('folders, digestTree and removeTree', async () => {
      if (facts.flat) {
        // refused as a file-system error (no folders here), not any failure at all
        await assert.rejects(
          board.mkdir('/lib'),
          (e) => e instanceof BoardError && e.type === 'OSError',
        );
        return;
      }
      assert.equal(await board.hasDirectories(), true);
      await board.mkdir('/lib/sub', { parents: true });
      await board.writeFile('/lib/a.py', text('A'));
      await board.writeFile('/lib/sub/b.py', text('BB'));
      await assert.rejects(board.mkdir('/lib'), (e) => e instanceof BoardError && e.errno === 17);
      await assert.rejects(board.rmdir('/lib'), (e) => e instanceof BoardError && e.errno === 39);
      // the root is the board's to refuse, in its own words (mpremote's `rm -r :/` reports them)
      await assert.rejects(board.rmdir('/'), (e) => e instanceof BoardError && e.errno === 1);
      const tree = (await board.digestTree('/lib')).sort((a, b) => (a.path < b.path ? -1 : 1));
      assert.deepEqual(tree, [
        { path: '/lib/a.py', size: 1, digest: sha256Hex(text('A')) },
        { path: '/lib/sub/b.py', size: 2, digest: sha256Hex(text('BB')) },
      ]);
      assert.deepEqual(await board.digestTree('/missing'), []);
      assert.deepEqual((await board.stat('/lib'))?.kind, 'dir');
      await board.removeTree('/lib');
      assert.equal(await board.stat('/lib'), undefined);
      const usage = await board.usage('/');
      assert.ok(usage.totalBytes! > 0 && usage.freeBytes! <= usage.totalBytes!);
    });

    test('patchFile applies edits or leaves the file alone', async () => {
      const base = text('def f():\n    return 1\n');
      await board.writeFile('/p.py', base);
      const ops = [{ at: 20, deleteCount: 1, insert: text('42') }];
      const result = text('def f():\n    return 42\n');
      const wrong = await board.patchFile(
        '/p.py',
        board.localDigest(text('x')),
        ops,
        board.localDigest(result),
      );
      assert.equal(wrong, false);
      assert.deepEqual(await board.readFile('/p.py'), base);
      assert.equal(
        await board.patchFile('/p.py', board.localDigest(base), ops, board.localDigest(result)),
        true,
      );
      assert.deepEqual(await board.readFile('/p.py'), result);
      assert.equal(await board.patchFile('/none.py', 'x', ops, 'y'), false);
    });

    test('an edit with the old size known goes in one exec, or by the helper where it cannot', async () => {
      const base = text(`${'x = 1\n'.repeat(300)}MARK = 0\n${'y = 2\n'.repeat(100)}`);
      await board.writeFile('/q.py', base);
      const at = 1800;
      for (const mark of ['1', '22', '']) {
        const old = await board.readFile('/q.py');
        const ops = [{ at: at + 7, deleteCount: old.length - base.length + 1, insert: text(mark) }];
        const result = new Uint8Array([
          ...old.subarray(0, at + 7),
          ...text(mark),
          ...old.subarray(at + 7 + ops[0]!.deleteCount),
        ]);
        const digest = board.localDigest(result);
        // a wrong base: nothing changes, whichever way it goes
        const stale = [{ at: 0, deleteCount: 0, insert: text('#') }];
        assert.equal(await board.patchFile('/q.py', 'x', stale, 'y', old.length), false);
        assert.deepEqual(await board.readFile('/q.py'), old);
        assert.equal(
          await board.patchFile('/q.py', board.localDigest(old), ops, digest, old.length),
          true,
        );
        assert.deepEqual(await board.readFile('/q.py'), result);
      }
      assert.equal(await board.patchFile('/none.py', 'x', [], 'y', 10), false);
      assert.deepEqual(
        (await board.listDir('/')).filter((e) => e.name.includes('q.py')).map((e) => e.name),
        ['q.py'],
        'a temp file was left',
      );
    });

    test('the helper comes back after a soft reset clears it', async () => {
      await board.writeFile('/s.txt', text('1'));
      await t.repl.softReset();
      assert.deepEqual(await board.readFile('/s.txt'), text('1'));
      await board.writeFile('/s.txt', text('2'));
      assert.deepEqual(await board.readFile('/s.txt'), text('2'));
    });

    test('names of 247 to 255 bytes are written and updated through a short temp name', {
      skip: facts.real === 'unix' || facts.real === 'unix-fat' ? false : 'littlefs and FAT only',
    }, async () => {
      await board.mkdir('/long');
      const names = ['a'.repeat(255), `${'b'.repeat(244)}.py`, `${'ü'.repeat(100)}x.txt`];
      for (const [i, name] of names.entries()) {
        await board.writeFile(`/long/${name}`, text(`first ${i}`));
        await board.writeFile(`/long/${name}`, text(`second ${i}`));
        assert.deepEqual(await board.readFile(`/long/${name}`), text(`second ${i}`));
      }
      const run = async (code: string) => new TextDecoder().decode(await t.repl.exec(code));
      const raw = async () =>
        (await run("import os\nprint(sorted(os.listdir('/long')))"))
          .trim()
          .slice(2, -2)
          .split("', '")
          .filter((n) => n !== '');
      assert.deepEqual(await raw(), [...names].sort());
      // strays of a cut upload of such a name go by the next write, and are never renamed onto
      // a file nor take one with them
      await run(
        "for n in ('..mpy-tmp','..mpy-old','..mpy-new'):\n open('/long/'+n,'w').write('stray')\nopen('/long/e','w').close()",
      );
      await board.writeFile('/long/c.txt', text('c'));
      const seen = (await raw()).filter((n) => !n.startsWith('..mpy-'));
      assert.deepEqual(seen, [...names, 'c.txt', 'e'].sort());
      assert.deepEqual(await board.readFile('/long/e'), new Uint8Array(0));
      assert.deepEqual(
        (await raw()).filter((n) => n.startsWith('..mpy-')),
        [],
        'short strays are removed, never renamed back',
      );
      // a stray ..mpy-old is no obstacle to the next replace through the short temp
      await run("open('/long/..mpy-old','w').write('stray')");
      await board.writeFile(`/long/${names[0]}`, text('third'));
      assert.deepEqual(await board.readFile(`/long/${names[0]}`), text('third'));
      assert.deepEqual(
        (await raw()).filter((n) => n.startsWith('..mpy-')),
        [],
      );
      assert.ok(!(await board.listDir('/long')).some((e) => e.name.startsWith('.')));
      // a tree and a patch take such a name too (file by file, a whole write)
      const files = [names[1]!, 'd.txt', 'f.txt'].map((name, i) => ({
        path: `/long/${name}`,
        data: text(`tree ${i}`),
      }));
      assert.equal(await board.writeTree({ folders: [], files }), true);
      for (const { path, data } of files) assert.deepEqual(await board.readFile(path), data);
      const before = board.localDigest(text('tree 0'));
      const op = { at: 0, deleteCount: 4, insert: text('TREE') };
      assert.equal(
        await board.patchFile(files[0]!.path, before, [op], board.localDigest(text('TREE 0'))),
        false,
      );
    });

    test('micro:bit v1: a file too big for two copies is refused saying so, and goes direct', {
      skip: facts.real === 'microbit' ? false : 'the micro:bit v1 only: a flat 15 KB flash',
    }, async () => {
      for (const entry of await board.listDir('/')) await board.remove(`/${entry.name}`);
      const line = 'display.scroll("hello")  # ünï\n';
      const source = text(line.repeat(Math.ceil(9000 / line.length)));
      await assert.rejects(
        board.writeFile('/main.py', source),
        (e) =>
          e instanceof BoardError &&
          e.errno === 28 &&
          e.detail ===
            `needs room for two copies (temp file and copy): ${(2 * source.length).toLocaleString('en-US')} B of 14,000 B free on a micro:bit v1; cp --direct writes one copy, but a cut leaves the file cut short`,
      );
      assert.deepEqual(await board.listDir('/'), []);
      await board.writeFile('/main.py', source, { direct: true });
      assert.deepEqual(await board.readFile('/main.py'), source);
      const again = source.slice(100);
      await board.writeFile('/main.py', again, { direct: true });
      assert.deepEqual(await board.readFile('/main.py'), again);
      assert.equal(await board.digest('/main.py'), board.localDigest(again));
      await assert.rejects(
        board.writeFile('/big.py', source, { direct: true }),
        (e) =>
          e instanceof BoardError && e.errno === 28 && /^needs [\d,]+ B of/.test(e.detail ?? ''),
      );
      await board.remove('/main.py');
    });

    if (facts.heapBytes < 64 * 1024 || kind === 'pty-legacy') {
      // 30 KB, or what fits the flash with its temp file (micro:bit: 6 KB, more than its heap)
      const size = Math.min(30 * 1024, Math.floor(facts.flashBytes * 0.4));
      test(`a ${(size / 1024).toFixed(0)} KB file copies to a small-RAM board through the text protocol`, async () => {
        const textBoard = new Board(t.repl, { binary: false });
        // the flash holds 15 KB: start from an empty one
        for (const entry of await board.listDir('/')) await board.remove(`/${entry.name}`);
        const line = 'display.scroll("hello")  # \'quoted\' \\ ünï\n';
        const source = text(line.repeat(Math.ceil(size / line.length)));
        await textBoard.writeFile('/big.py', source);
        assert.deepEqual(await board.readFile('/big.py'), source);
        if (facts.flashBytes < 64 * 1024) {
          // the temp file and the copy over the target would not both fit: refused, nothing sent
          const tooBig = text(line.repeat(Math.ceil((facts.flashBytes * 0.6) / line.length)));
          await assert.rejects(
            textBoard.writeFile('/big.py', tooBig),
            (e) => e instanceof BoardError && e.errno === 28,
          );
          assert.deepEqual(await board.readFile('/big.py'), source);
        }
        // every byte value both ways through the text protocol (hex downloads without binascii)
        const binary = new Uint8Array(randomBytes(2048));
        await textBoard.writeFile('/small.bin', binary);
        assert.deepEqual(await textBoard.readFile('/small.bin'), binary);
        await board.remove('/big.py');
        await board.remove('/small.bin');
      });
    }

    if (kind === 'inproc') {
      test('generated names survive the encoder into the board and back', async () => {
        const name = fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
          // __proto__: the WebAssembly port's MEMFS keeps a folder's entries as keys of a plain JS
          // object, where that name sets the prototype instead: the file is there but never listed
          .filter(
            (s) =>
              !/[/\0]/.test(s) &&
              s !== '.' &&
              s !== '..' &&
              s !== '__proto__' &&
              !s.endsWith('.mpy-tmp'),
          );
        await fc.assert(
          fc.asyncProperty(name, async (n) => {
            await board.writeFile(`/${n}`, text(n));
            assert.ok((await board.listDir('/')).some((e) => e.name === n));
            assert.deepEqual(await board.readFile(`/${n}`), text(n));
            await board.remove(`/${n}`);
          }),
          { numRuns: 40 },
        );
      });
    }

    if (kind === 'inproc' || (facts.baud === 0 && facts.hasBinascii)) {
      test('the text protocol (base64 where binascii exists) round-trips every byte', async () => {
        const textBoard = new Board(t.repl, { binary: false, textChunk: 300 });
        const data = new Uint8Array(randomBytes(2000));
        await textBoard.writeFile('/b64.bin', data);
        assert.deepEqual(await textBoard.readFile('/b64.bin'), data);
        assert.equal(await board.digest('/b64.bin'), board.localDigest(data));
      });
    }

    if (facts.baud === 0 && facts.stdinBuffer) {
      // 1 MB; on a real board at most half its flash and what moves in about two seconds
      const fits = Math.min(facts.flashBytes / 2, facts.bytesPerSecond * 2);
      const size = facts.sim ? 1 << 20 : 2 ** Math.floor(Math.log2(Math.min(1 << 20, fits)));
      test(`${size / 1024} KB of random bytes and compressible text round-trip unthrottled`, async () => {
        const data = new Uint8Array(randomBytes(size));
        await board.writeFile('/mb.bin', data);
        assert.deepEqual(await board.readFile('/mb.bin'), data);
        const source = text('print("compress me")\n'.repeat(5000));
        await board.writeFile('/src.py', source);
        assert.deepEqual(await board.readFile('/src.py'), source);
      });
    }
  });
}
