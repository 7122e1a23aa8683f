// src/cli.ts: parse the command line with commander, run the command, map errors to exit codes.
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('mpy: no commands yet\n');
  return 1;
}
