// src/board/py-source.ts: load the board-side helper files (src/board/py/*.py, copied next to the
// compiled code by the build) and minify them, since every byte crosses a slow serial link.
import { readFileSync } from 'node:fs';
import { minifyPython } from '../repl/python.js';

/** The helper parts; each defines functions in the `_mpy` namespace (core first). */
export type HelperPart = 'core' | 'legacy' | 'fs' | 'put' | 'get' | 'text' | 'patch';

const cache = new Map<HelperPart, string>();

/** The minified source of one helper part, read once per process. */
export function helperSource(part: HelperPart): string {
  let text = cache.get(part);
  if (text === undefined) {
    text = minifyPython(readFileSync(new URL(`./py/${part}.py`, import.meta.url), 'utf8'));
    cache.set(part, text);
  }
  return text;
}
