// src/board/py-source.ts: load the board-side helper files (src/board/py/*.py, copied next to the
// compiled code by the build) and minify them, since every byte crosses a slow serial link.
import { readFileSync } from 'node:fs';

/** The helper parts; each defines functions in the `_mpy` namespace (core first). */
export type HelperPart = 'core' | 'legacy' | 'fs' | 'put' | 'get' | 'text' | 'patch';

const cache = new Map<HelperPart, string>();

const PUNCTUATION = new Set('=+-*/%<>!,:()[]{}&|^~');

/** Drop the spaces next to operators and punctuation outside string literals. */
function squeeze(line: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      out += c;
      if (c === '\\') out += line[++i] ?? '';
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === ' ') {
      const next = line.slice(i + 1).trimStart()[0] ?? '';
      if (!PUNCTUATION.has(out.at(-1) ?? '') && !PUNCTUATION.has(next)) out += c;
    } else out += c;
  }
  return out;
}

/**
 * Strip comments and blank lines, shrink each 4-space indent step to one space and drop spaces
 * around operators. The helper files use no inline comments and no multi-line strings, so this
 * stays a line filter.
 */
export function minifyPython(source: string): string {
  const lines: string[] = [];
  for (const line of source.split(/\r?\n/)) {
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const indent = line.length - body.length;
    lines.push(' '.repeat(Math.ceil(indent / 4)) + squeeze(body.trimEnd()));
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
