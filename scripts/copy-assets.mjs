// scripts/copy-assets.mjs: copy the board-side Python next to the compiled board layer.
import { cpSync, existsSync } from 'node:fs';

const from = new URL('../src/board/py/', import.meta.url);
const to = new URL('../dist/src/board/py/', import.meta.url);
if (existsSync(from)) cpSync(from, to, { recursive: true });
