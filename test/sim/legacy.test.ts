// test/sim/legacy.test.ts: the legacy profile behaves like old firmware (micro:bit v1 era).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PtyBoard, startPtyBoard } from './harness.js';

describe('legacy profile over a pty', () => {
  let pty: PtyBoard;

  before(async () => {
    pty = await startPtyBoard({ profile: 'legacy' });
    await pty.client.enterRaw();
  });
  after(async () => {
    await pty.close();
  });

  it('answers a raw-paste request the way firmware without raw-paste does', async () => {
    await pty.client.send('\x05A\x01');
    // mpremote reads 2 bytes, sees no `R`, and waits for the re-entered raw REPL banner.
    assert.equal(
      (await pty.client.readUntil('>')).toString('latin1'),
      'raw REPL; CTRL-B to exit\r\n>',
    );
    assert.equal((await pty.client.run('print(3)')).stdout, '3\r\n');
  });

  it('has os.size but no os.stat', async () => {
    const result = await pty.client.run(
      'import os\nopen("f", "w").write("abc")\nprint(os.size("f"), hasattr(os, "stat"))',
    );
    assert.equal(result.stdout, '3 False\r\n');
  });

  it('has no hashlib, binascii or deflate', async () => {
    for (const name of ['hashlib', 'binascii', 'deflate']) {
      const result = await pty.client.run(`import ${name}`);
      assert.match(result.stderr, new RegExp(`ImportError: no module named '${name}'\\r\\n$`));
    }
  });

  it('has a flat filesystem', async () => {
    const result = await pty.client.run('import os\nos.mkdir("d")');
    assert.match(result.stderr, /OSError: \[Errno 1\] EPERM\r\n$/);
  });

  it('reports a small heap', async () => {
    const result = await pty.client.run('import gc\nprint(gc.mem_free() < 20000)');
    assert.equal(result.stdout, 'True\r\n');
  });
});
