#!/usr/bin/env node
// bin/mpy.js: the command's entry point; runs the compiled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('mpy: not built yet; run `npm run build` in the mpy folder first\n');
  process.exit(70);
}
// `mpy exec ... | head`: the reader went away; stop quietly instead of a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import(cli.href);
process.exitCode = await main(process.argv);
