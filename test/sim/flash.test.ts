// test/sim/flash.test.ts: the board's filesystem looks like a board's and persists in a folder.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VirtualBoard } from '../../src/sim/index.js';
import { type PtyBoard, startPtyBoard } from './harness.js';
import { RawClient } from './raw-client.js';

describe('flash over a pty', () => {
  let pty: PtyBoard;

  before(async () => {
    pty = await startPtyBoard({ flashSize: 64 * 1024 });
    await pty.client.enterRaw();
  });
  after(async () => {
    await pty.close();
  });

  it('shows only the user files at /', async () => {
    const result = await pty.client.run('import os\nprint(os.listdir("/"), os.getcwd())');
    assert.equal(result.stdout, '[] /\r\n');
  });

  it('lists directories as 4-tuples with the file size', async () => {
    const result = await pty.client.run(
      'import os\nos.mkdir("/d")\nopen("/d/f.txt", "w").write("12345")\nprint(sorted(os.ilistdir("/d")), list(os.ilistdir("/")))',
    );
    assert.equal(result.stdout, "[('f.txt', 32768, 0, 5)] [('d', 16384, 0, 0)]\r\n");
  });

  it('renames with absolute and relative paths, over an existing file', async () => {
    const result = await pty.client.run(
      'import os\nopen("/.t.tmp", "wb").close()\nopen("/old.txt", "w").write("old")\nos.rename("/.t.tmp", "/old.txt")\n' +
        'os.rename("old.txt", "/d/moved.txt")\nprint(os.listdir("/d"))\nos.remove("d/moved.txt")',
    );
    assert.deepEqual(result, { stdout: "['f.txt', 'moved.txt']\r\n", stderr: '' });
  });

  it('reports statvfs from the flash size and the bytes used', async () => {
    const result = await pty.client.run('import os\nprint(os.statvfs("/"))');
    // 16 blocks of 4096; the directory and the file use one each.
    assert.equal(result.stdout, '(4096, 4096, 16, 14, 14, 0, 0, 0, 0, 255)\r\n');
  });

  it('fails with ENOSPC when the flash is full, like littlefs', async () => {
    const result = await pty.client.run(
      'try:\n    open("/big", "wb").write(bytes(80000))\nexcept OSError as e:\n    print(e.errno)\nimport os\nos.remove("/big")',
    );
    assert.equal(result.stdout, '28\r\n');
  });
});

describe('flash folder', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mpy-sim-test-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('persists files across two boards on the same folder', async () => {
    const first = await VirtualBoard.start({ flashDir: dir });
    const one = new RawClient(first.connect());
    await one.enterRaw();
    await one.run('import os\nos.mkdir("lib")\nopen("lib/a.py", "w").write("A = 1\\n")');
    await first.stop();
    assert.equal(readFileSync(join(dir, 'lib', 'a.py'), 'utf8'), 'A = 1\n');

    const second = await VirtualBoard.start({ flashDir: dir });
    try {
      const two = new RawClient(second.connect());
      await two.enterRaw();
      assert.equal((await two.run('from lib.a import A\nprint(A)')).stdout, '1\r\n');
      await two.run('import os\nos.remove("lib/a.py")');
    } finally {
      await second.stop();
    }
    assert.throws(() => readFileSync(join(dir, 'lib', 'a.py')));
  });

  it('has a closed file in the folder by the time the exec that wrote it has answered', async () => {
    const board = await VirtualBoard.start({ flashDir: dir });
    try {
      const client = new RawClient(board.connect());
      await client.enterRaw();
      await client.run(
        'with open("now.txt", "w") as f:\n    f.write("at once")\nimport os\nos.mkdir("sub")\nos.rename("now.txt", "sub/now.txt")',
      );
      assert.equal(readFileSync(join(dir, 'sub', 'now.txt'), 'utf8'), 'at once');
      await client.run('import os\nos.remove("sub/now.txt")\nos.rmdir("sub")');
      assert.throws(() => readFileSync(join(dir, 'sub', 'now.txt')));
    } finally {
      await board.stop();
    }
  });

  it('runs main.py at power-on and still lets a tool into the raw REPL', async () => {
    writeFileSync(join(dir, 'main.py'), 'i = 0\nwhile True:\n    i += 1\n    print("tick", i)\n');
    const board = await VirtualBoard.start({ flashDir: dir });
    try {
      const client = new RawClient(board.connect());
      await client.readUntil('tick');
      await client.enterRaw();
      assert.equal((await client.run('print(i > 0)')).stdout, 'True\r\n');
    } finally {
      await board.stop();
      rmSync(join(dir, 'main.py'));
    }
  });

  it('stops a printing main.py at 115200 baud over a pty without a backlog of old output', async () => {
    writeFileSync(join(dir, 'main.py'), 'i = 0\nwhile True:\n    i += 1\n    print("tick", i)\n');
    const pty = await startPtyBoard({ flashDir: dir, baud: 115200 });
    try {
      await pty.client.readUntil('tick');
      const started = performance.now();
      await pty.client.enterRaw();
      // Output waiting in the board's TX buffer is small (2 KB), like a UART's.
      assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
    } finally {
      await pty.close();
      rmSync(join(dir, 'main.py'));
    }
  });

  it('comes back from a main.py stuck in `while True: pass`', async () => {
    writeFileSync(join(dir, 'main.py'), 'while True:\n    pass\n');
    const board = await VirtualBoard.start({ flashDir: dir });
    try {
      const client = new RawClient(board.connect());
      await client.enterRaw();
      assert.equal((await client.run('print("back")')).stdout, 'back\r\n');
    } finally {
      await board.stop();
      rmSync(join(dir, 'main.py'));
    }
  });
});
