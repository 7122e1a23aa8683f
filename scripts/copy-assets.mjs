// scripts/copy-assets.mjs: copy the board-side Python (src/**/py/) next to the compiled code.
import { cpSync, existsSync } from 'node:fs';

for (const folder of ['board/py', 'commands/py', 'repl/py', 'sim/py', 'mip/py']) {
  const from = new URL(`../src/${folder}/`, import.meta.url);
  const to = new URL(`../dist/src/${folder}/`, import.meta.url);
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
