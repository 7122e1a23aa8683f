// test/sim/board.test.ts: the in-process virtual board speaks the raw REPL like a real one.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualBoard } from '../../src/sim/index.js';
import { RawClient } from './raw-client.js';

describe('virtual board, in process', () => {
  let board: VirtualBoard;
  let client: RawClient;

  before(async () => {
    board = await VirtualBoard.start();
    client = new RawClient(board.connect());
    await client.enterRaw();
  });
  after(async () => {
    await board.stop();
  });

  it('runs code in plain raw mode', async () => {
    const result = await client.run('print("hi", 1 + 1)');
    assert.deepEqual(result, { stdout: 'hi 2\r\n', stderr: '' });
  });

  it('reports exceptions on the error channel', async () => {
    const result = await client.run('1/0');
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /ZeroDivisionError: divide by zero\r\n$/);
  });

  it('hardReset() restarts the interpreter: files kept, globals gone, boot.py run', async () => {
    await client.run('import os\nopen("boot.py", "w").write("booted = True\\n")\nmarker = 1');
    await board.hardReset();
    await client.enterRaw();
    const result = await client.run(
      'print("marker" in globals(), booted)\nimport os\nos.remove("boot.py")',
    );
    assert.deepEqual(result, { stdout: 'False True\r\n', stderr: '' });
  });

  it('runs code through raw-paste with the board-announced window', async () => {
    await client.send('\x05A\x01');
    const header = await client.readBytes(5);
    assert.deepEqual([...header], [0x52, 0x01, 128, 0, 0x01]);
    await client.send('x = 6 * 7\nprint(x)\x04');
    assert.deepEqual([...(await client.readBytes(1))], [4]);
    const rest = await client.readUntil('>');
    assert.equal(rest.toString('latin1'), '42\r\n\x04\x04>');
  });
});
