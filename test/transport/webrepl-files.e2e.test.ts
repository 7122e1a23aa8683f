// test/transport/webrepl-files.e2e.test.ts: uploads by WebREPL's PUT over the sim's WebREPL:
// the temp name, the hash check and the rename as on every link, the 512+1 quirk avoided, a
// corrupted PUT caught, and a folder not known to exist left to the raw REPL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Board } from '../../src/board/board.js';
import { BoardError, TransportError } from '../../src/errors.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { serveWebrepl, VirtualBoard, type WebreplServer } from '../../src/sim/index.js';
import { openWebrepl } from '../../src/transport/webrepl.js';
import type { FileProtocol } from '../../src/transport/webrepl-files.js';

const PASSWORD = 'wa';
let board: VirtualBoard;
let server: WebreplServer;
let flash: string;

before(async () => {
  flash = mkdtempSync(join(tmpdir(), 'mpy-wa-up-'));
  board = await VirtualBoard.start({ flashDir: flash, rxBufferSize: 64 * 1024 });
  server = await serveWebrepl(board, { password: PASSWORD, latencyMs: 2 });
});

after(async () => {
  await server.close();
  await board.stop();
  rmSync(flash, { recursive: true, force: true });
});

/** A Board over a fresh WebREPL link, uploading by PUT; `wrap` may tamper with the protocol. */
async function withBoard(
  action: (fs: Board, puts: string[]) => Promise<void>,
  wrap: (files: FileProtocol) => FileProtocol = (files) => files,
): Promise<void> {
  const transport = await openWebrepl(`ws://127.0.0.1:${server.port}`, { password: PASSWORD });
  const files = transport.files!;
  const puts: string[] = [];
  const counted: FileProtocol = {
    put: (path, data) => {
      puts.push(path);
      return files.put(path, data);
    },
    get: (path) => files.get(path),
  };
  const repl = await RawRepl.connect(transport);
  try {
    await action(new Board(repl, { files: wrap(counted), waUploads: true }), puts);
  } finally {
    await repl.close();
  }
}

describe('uploads by WebREPL PUT', () => {
  test('go to the temp name, are verified and renamed; 1024k+513 bytes arrive whole', async () => {
    const data = randomBytes(4 * 1024 + 513);
    await withBoard(async (fs, puts) => {
      await fs.writeFile('/up.bin', data);
      assert.deepEqual(puts, ['/.up.bin.mpy-tmp']);
    });
    assert.ok(readFileSync(join(flash, 'up.bin')).equals(data));
    assert.deepEqual(
      readdirSync(flash).filter((name) => name.includes('mpy-')),
      [],
    );
  });

  test('a PUT that lost a byte fails the hash check and leaves the target as it was', async () => {
    await withBoard(async (fs) => {
      await fs.writeFile('/keep.txt', Buffer.from('old'));
    });
    const lossy = (files: FileProtocol): FileProtocol => ({
      put: (path, data) => files.put(path, data.subarray(0, -1)),
      get: (path) => files.get(path),
    });
    await withBoard(async (fs) => {
      await assert.rejects(fs.writeFile('/keep.txt', Buffer.from('new content')), TransportError);
    }, lossy);
    assert.equal(readFileSync(join(flash, 'keep.txt'), 'utf8'), 'old');
    assert.ok(!existsSync(join(flash, '.keep.txt.mpy-tmp')));
  });

  test('a folder not known to exist goes by the raw REPL (its ENOENT, the link kept)', async () => {
    await withBoard(async (fs, puts) => {
      await assert.rejects(fs.writeFile('/nodir/x.txt', Buffer.from('x')), BoardError);
      await fs.mkdir('/made');
      await fs.writeFile('/made/x.txt', Buffer.from('made'));
      assert.deepEqual(puts, ['/made/.x.txt.mpy-tmp']);
    });
    assert.equal(readFileSync(join(flash, 'made', 'x.txt'), 'utf8'), 'made');
  });

  test('GET reads a file back (not used by default: a round trip per 256 bytes)', async () => {
    const data = randomBytes(1000);
    const transport = await openWebrepl(`ws://127.0.0.1:${server.port}`, { password: PASSWORD });
    try {
      await transport.files!.put('/get.bin', data);
      assert.ok(Buffer.from(await transport.files!.get('/get.bin')).equals(data));
      // a missing file: the board closes the connection, the transfer says so
      await assert.rejects(transport.files!.get('/missing.bin'), /closed during a WebREPL file/);
    } finally {
      await transport.close();
    }
  });
});
