// test/board/record-exchanges.ts: record `mpy ls` and `mpy cp` on a fresh qemuboard as
// test/fixtures/exchanges/*.json (see exchange-fixture.ts). Each command gets a new board: a TCP
// relay between the CLI (`socket://`, which mpy treats as a UART) and the firmware's
// stdin/stdout writes down every chunk in the order it passed.
//   npm run build && node dist/test/board/record-exchanges.js
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../bench/harness.js';
import { realBoardCommand } from '../helpers/real-boards.js';
import { EXCHANGES_DIR, type ExchangeFixture, toTurns } from './exchange-fixture.js';

const latin1 = (data: Uint8Array) => Buffer.from(data).toString('latin1');

/** A 3,000-byte Python module, as the bench's everyday rows use. */
function smallModule(): string {
  let text = '';
  for (let i = 0; text.length < 3000; i++) text += `value_${i} = ${i * 7} # line ${i}\n`;
  return `${text.slice(0, 2999)}\n`;
}

async function record(
  name: string,
  args: string[],
  files: Record<string, string>,
  setup: string[][],
) {
  const [command, ...argv] = realBoardCommand('qemu');
  const board = spawn(command!, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  // a client's last bytes may reach a board already stopped
  board.stdin.on('error', () => undefined);
  const chunks: Array<{ h: string } | { b: string }> = [];
  let recording = false;
  let client: import('node:net').Socket | undefined;
  board.stdout.on('data', (data: Buffer) => {
    if (recording) chunks.push({ b: latin1(data) });
    client?.write(data);
  });
  const server = createServer((socket) => {
    client = socket;
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      if (recording) chunks.push({ h: latin1(data) });
      board.stdin.write(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as import('node:net').AddressInfo).port;
  const device = `socket://127.0.0.1:${port}`;
  const folder = mkdtempSync(join(tmpdir(), 'mpy-record-'));
  for (const [file, text] of Object.entries(files))
    writeFileSync(join(folder, file), text, 'latin1');
  const here = process.cwd();
  process.chdir(folder);
  try {
    // let the board boot, then put what the command needs there (and leave nothing of mpy in
    // its RAM: a soft reset clears the globals)
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const step of setup) await runCli(device, step);
    if (setup.length > 0) await runCli(device, ['reset']);
    // the last command's Ctrl-B and the board's banner for it are not this command's
    await new Promise((resolve) => setTimeout(resolve, 500));
    recording = true;
    const stdout = await runCli(device, args);
    recording = false;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fixture: ExchangeFixture = {
      board: 'qemuboard (MicroPython v1.29.0-preview, ports/qemu MPS2_AN385_FS), fresh',
      args,
      files,
      stdout,
      turns: toTurns(chunks),
    };
    writeFileSync(new URL(`${name}.json`, EXCHANGES_DIR), `${JSON.stringify(fixture, null, 1)}\n`);
    console.log(`${name}: ${fixture.turns.length} turns`);
  } finally {
    process.chdir(here);
    server.close();
    client?.destroy();
    board.kill();
  }
}

const module = smallModule();
await record('qemuboard-ls', ['ls'], {}, []);
await record('qemuboard-cp-up', ['cp', 'small.py', ':'], { 'small.py': module }, []);
await record('qemuboard-cp-down', ['cp', ':small.py', 'copy.py'], { 'small.py': module }, [
  ['cp', 'small.py', ':'],
]);
