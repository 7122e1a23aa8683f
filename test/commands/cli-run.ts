// test/commands/cli-run.ts: run the CLI's main() in this process against a virtual board whose
// flash is a temp folder, capturing stdout, stderr and the exit code.
import { Writable } from 'node:stream';
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
