// test/fuse/mount.test.ts: a real FUSE mount over an in-memory BoardFs, driven by shell tools in
// child processes; checks what reaches the board, the errnos, and the board round trips.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fuseUnavailable, mountForTest, type TestMount } from './harness.js';
import { countingBoard, MemoryBoard } from './memory-board.js';

const skip = await fuseUnavailable();
const bytes = (text: string) => new TextEncoder().encode(text);

describe('mount over a board filesystem', { skip }, () => {
  const memory = new MemoryBoard();
  const counted = countingBoard(memory, 2);
  let mount: TestMount;
  const logged: string[] = [];

  before(async () => {
    await memory.mkdir('/big');
    for (let i = 0; i < 100; i++) {
      await memory.writeFile(`/big/f${String(i).padStart(3, '0')}.py`, bytes('x'.repeat(i)));
    }
    await memory.writeFile('/main.py', bytes('print("hi")\n'));
    const big = new Uint8Array(1024 * 1024).map((_, i) => (i * 7) % 251);
    await memory.writeFile('/big.bin', big);
    // Twice the file, for cmp in a child process (the harness shell's parent is this process).
    await writeFile(`/tmp/mpy-fuse-big-${process.pid}.bin`, Buffer.concat([big, big]));
    mount = await mountForTest(counted.board, { log: (line) => logged.push(line) });
  });
  after(() => mount?.close());

  it('ls -l of a 100-file folder: one listing cold, no board call warm', async () => {
    await mount.ok('ls -ld big'); // lists / to know what big is
    counted.calls.clear();
    const cold = await mount.ok('ls -l big');
    assert.deepEqual([...counted.calls], [['listDir', 1]]);
    assert.match(cold, /-rw-r--r-- 1 \S+ \S+ +99 .* f099\.py/);
    assert.equal(cold.trim().split('\n').length, 101); // "total" + 100 files
    counted.calls.clear();
    const warm = await mount.ok('ls -l big');
    assert.equal(counted.total(), 0);
    assert.equal(warm, cold);
  });

  it('a 1 MB file read in kernel-sized chunks costs one board read', async () => {
    counted.calls.clear();
    const copy = await mount.ok('cat big.bin big.bin | cmp - /tmp/mpy-fuse-big-$PPID.bin; echo $?');
    assert.equal(copy.trim(), '0');
    assert.deepEqual([...counted.calls], [['readFile', 1]]);
    await mount.ok('rm big.bin /tmp/mpy-fuse-big-$PPID.bin');
  });

  it('cat reads a file once, then from the cache', async () => {
    assert.equal(await mount.ok('cat main.py'), 'print("hi")\n');
    counted.calls.clear();
    assert.equal(await mount.ok('cat main.py'), 'print("hi")\n');
    assert.equal(counted.total(), 0);
  });

  it('shell redirection creates and overwrites files on the board with one write each', async () => {
    counted.calls.clear();
    await mount.ok('echo hi > new.txt');
    assert.equal(memory.text('/new.txt'), 'hi\n');
    assert.equal(counted.calls.get('writeFile'), 1);
    counted.calls.clear();
    await mount.ok('echo again > new.txt');
    assert.equal(counted.calls.get('writeFile'), 1, 'truncate + write is one board write');
    await mount.ok('echo again > new.txt && echo more >> new.txt');
    assert.equal(memory.text('/new.txt'), 'again\nmore\n');
    assert.equal(await mount.ok('cat new.txt'), 'again\nmore\n');
  });

  it('cp -r of a tree, mv, rm, mkdir, rmdir, truncate', async () => {
    await mount.ok(
      'mkdir -p /tmp/mpy-fuse-src-$$/pkg/sub && cd /tmp/mpy-fuse-src-$$ && ' +
        'echo a > pkg/a.py && echo b > pkg/sub/b.py && head -c 70000 /dev/urandom > pkg/blob.bin && ' +
        `cp -r pkg "${mount.dir}/" && cmp pkg/blob.bin "${mount.dir}/pkg/blob.bin" && ` +
        'cd / && rm -rf /tmp/mpy-fuse-src-$$',
    );
    assert.equal(memory.text('/pkg/a.py'), 'a\n');
    assert.equal(memory.text('/pkg/sub/b.py'), 'b\n');
    assert.equal(memory.entries.get('/pkg/blob.bin')?.length, 70000);
    await mount.ok('mv pkg/a.py pkg/sub/c.py && rm pkg/blob.bin && mkdir pkg/empty');
    assert.equal(memory.text('/pkg/sub/c.py'), 'a\n');
    assert.equal(memory.entries.has('/pkg/a.py'), false);
    assert.equal(memory.entries.has('/pkg/blob.bin'), false);
    assert.equal(memory.entries.get('/pkg/empty'), null);
    await mount.ok('rmdir pkg/empty && truncate -s 1 pkg/sub/c.py && truncate -s 4 main.py');
    // A bare truncate reaches the board after a short grace period; flushAll sends it now.
    await mount.mounted.operations.flushAll();
    assert.equal(memory.entries.has('/pkg/empty'), false);
    assert.equal(memory.text('/pkg/sub/c.py'), 'a');
    assert.equal(memory.text('/main.py'), 'prin');
    assert.equal(await mount.ok('cat pkg/sub/c.py; ls pkg/sub'), 'ab.py\nc.py\n');
  });

  it('mv renames over an existing file and a folder tree moves whole', async () => {
    await mount.ok('echo old > target.py && echo new > source.py && mv source.py target.py');
    assert.equal(memory.text('/target.py'), 'new\n');
    assert.equal(memory.entries.has('/source.py'), false);
    await mount.ok('mv pkg renamed');
    assert.equal(memory.text('/renamed/sub/b.py'), 'b\n');
    assert.equal(await mount.ok('cat renamed/sub/b.py target.py'), 'b\nnew\n');
  });

  it('answers with the right errno', async () => {
    const expectFailure = async (command: string, message: RegExp) => {
      const result = await mount.sh(command);
      assert.notEqual(result.code, 0, `${command} should fail`);
      assert.match(result.stderr, message);
    };
    await expectFailure('cat missing.py', /No such file or directory/);
    await expectFailure('rmdir renamed', /Directory not empty/);
    await expectFailure('mkdir renamed', /File exists/);
    await expectFailure('cat renamed', /Is a directory/);
    await expectFailure('ls main.py/x', /Not a directory/);
    await expectFailure('rmdir main.py', /Not a directory/);
    assert.deepEqual(logged, []);
  });

  it('editor save patterns: vim, write-temp-and-rename, truncate-and-write', async () => {
    await mount.ok('printf "line1\\n" > edit.py');
    await mount.ok(
      'vim -u NONE -i NONE -n -N -e -s -c "set backupcopy=no" -c "normal! Gotwo" -c "wq" edit.py',
    );
    assert.equal(memory.text('/edit.py'), 'line1\ntwo\n');
    await mount.ok(
      'vim -u NONE -i NONE -N -e -s -c "set backupcopy=yes" -c "normal! Gothree" -c "wq" edit.py',
    );
    assert.equal(memory.text('/edit.py'), 'line1\ntwo\nthree\n');
    await mount.ok('printf "saved" > .edit.py.tmp && mv -f .edit.py.tmp edit.py');
    assert.equal(memory.text('/edit.py'), 'saved');
    await mount.ok('exec 3<>edit.py && truncate -s 0 edit.py && printf "nano" >&3 && exec 3>&-');
    assert.equal(memory.text('/edit.py'), 'nano');
    assert.deepEqual(
      [...memory.entries.keys()].filter((key) => /swp|~|tmp/.test(key)),
      [],
      'no swap or temp files left behind',
    );
  });

  it('cat of one file while another is being written', async () => {
    const big = 'y'.repeat(200_000);
    const [written, read] = await Promise.all([
      mount.ok(
        `printf '%s' ${big.slice(0, 10)} > w.txt; head -c 200000 /dev/zero | tr '\\0' y >> w.txt; wc -c < w.txt`,
      ),
      mount.ok('for i in 1 2 3 4 5; do cat target.py; done'),
    ]);
    assert.equal(written.trim(), '200010');
    assert.equal(read, 'new\n'.repeat(5));
    assert.equal(memory.entries.get('/w.txt')?.length, 200_010);
    assert.equal(counted.maxConcurrent(), 1, 'board calls never overlap');
  });

  it('a file removed while open stays readable through its fd, then is gone', async () => {
    await mount.ok('echo keep > open.txt');
    const out = await mount.ok('exec 3< open.txt; rm open.txt; ls; cat <&3; exec 3<&-');
    assert.doesNotMatch(out, /open\.txt/);
    assert.match(out, /^keep$/m);
    // libfuse parks the open file under a hidden name (removed on release, after close returns).
    assert.equal(memory.entries.has('/open.txt'), false);
  });

  it('df and touch, chmod, cp -p are accepted', async () => {
    const df = await mount.ok('df -k .');
    assert.match(df, /^mpy +1024 /m);
    await mount.ok('touch target.py && chmod 600 target.py && cp -p target.py copy.py');
    assert.equal(memory.text('/copy.py'), 'new\n');
  });
});

describe('mount edge cases', { skip }, () => {
  it('--ro refuses changes with EROFS and still reads', async () => {
    const memory = new MemoryBoard();
    await memory.writeFile('/a.py', bytes('a'));
    const mount = await mountForTest(memory, { readOnly: true });
    try {
      assert.equal(await mount.ok('cat a.py'), 'a');
      for (const command of [
        'echo x > b.py',
        'echo x >> a.py',
        'rm a.py',
        'mkdir d',
        'mv a.py b.py',
      ]) {
        const result = await mount.sh(command);
        assert.match(result.stderr, /Read-only file system/, command);
      }
      assert.deepEqual([...memory.entries.keys()], ['/', '/a.py']);
    } finally {
      await mount.close();
    }
  });

  it('a full board answers ENOSPC and keeps the old file', async () => {
    const memory = new MemoryBoard({ capacity: 1000 });
    await memory.writeFile('/a.py', bytes('old'));
    const mount = await mountForTest(memory);
    try {
      const result = await mount.sh('head -c 5000 /dev/zero > a.py');
      assert.match(result.stderr, /No space left on device/);
      assert.equal(memory.text('/a.py'), 'old');
      assert.equal(await mount.ok('cat a.py'), 'old');
    } finally {
      await mount.close();
    }
  });

  it('a flat board refuses mkdir with EPERM and says why; FAT-style rename over works', async () => {
    const memory = new MemoryBoard({ flat: true, renameOverFails: true });
    await memory.writeFile('/a.py', bytes('a'));
    await memory.writeFile('/b.py', bytes('b'));
    const logged: string[] = [];
    const mount = await mountForTest(memory, { log: (line) => logged.push(line) });
    try {
      const result = await mount.sh('mkdir lib');
      assert.match(result.stderr, /Operation not permitted/);
      assert.match(logged.join('\n'), /mkdir \/lib: .*flat/);
      await mount.ok('mv a.py b.py');
      assert.equal(memory.text('/b.py'), 'a');
      assert.equal(memory.entries.has('/a.py'), false);
    } finally {
      await mount.close();
    }
  });

  it('notices an unmount from outside (fusermount -u) and lets the process exit', async () => {
    const mount = await mountForTest(new MemoryBoard());
    try {
      await mount.ok('echo x > f && cd / && fusermount -u "$OLDPWD"');
      assert.equal(await mount.mounted.unmounted, 'external');
    } finally {
      await mount.close();
    }
  });
});
