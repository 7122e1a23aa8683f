// src/board/py-source.ts: load the board-side helper files (src/board/py/*.py, copied next to the
// compiled code by the build) and minify them, since every byte crosses a slow serial link.
import { readFileSync } from 'node:fs';

/** The helper parts; each defines functions in the `_mpy` namespace (core first). */
export type HelperPart = 'core' | 'fs' | 'put' | 'get' | 'text' | 'patch';

const cache = new Map<HelperPart, string>();

/**
 * Strip comments and blank lines and shrink each 4-space indent step to one space. The helper
 * files use no inline comments and no multi-line strings, so this stays a line filter.
 */
export function minifyPython(source: string): string {
  const lines: string[] = [];
  for (const line of source.split(/\r?\n/)) {
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const indent = line.length - body.length;
    lines.push(' '.repeat(Math.ceil(indent / 4)) + body.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** The minified source of one helper part, read once per process. */
export function helperSource(part: HelperPart): string {
  let text = cache.get(part);
  if (text === undefined) {
    text = minifyPython(readFileSync(new URL(`./py/${part}.py`, import.meta.url), 'utf8'));
    cache.set(part, text);
  }
  return text;
}
