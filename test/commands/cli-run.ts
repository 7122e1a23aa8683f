// test/commands/cli-run.ts: run the CLI's main() in this process against a virtual board whose
// flash is a temp folder, or the built bin/mpy.js as a user runs it, capturing stdout, stderr and
// the exit code.
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.js';

/** What one CLI run produced. */
export interface CliResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function sink(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
}

/** `mpy -d sim:<flash> ...args`. */
export async function runMpy(flash: string, ...args: string[]): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const code = await main(['node', 'mpy', '-d', `sim:${flash}`, ...args], {
    stdout: sink(out),
    stderr: sink(err),
  });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}

/** The built `bin/mpy.js`. */
export const BIN = fileURLToPath(new URL('../../../bin/mpy.js', import.meta.url));

/** `node bin/mpy.js ...args` in its own process (MPY_DEVICE cleared), stdin closed. */
export function runBin(...args: string[]): Promise<CliResult> {
  const { MPY_DEVICE: _, ...env } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve) => {
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString(),
      }),
    );
  });
}
