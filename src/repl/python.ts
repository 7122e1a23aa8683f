// src/repl/python.ts: load the board-side Python this layer runs (kept in real .py files), and
// minify board-side Python for every layer, since each byte crosses a slow serial link.
import { readFileSync } from 'node:fs';
import { layerAsset } from '../assets.js';

const cache = new Map<string, string>();

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
 * around operators. The board-side files use no inline comments and no multi-line strings, so
 * this stays a line filter.
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

/** Minified board-side Python `src/<layer>/py/<name>` (see `layerAsset`), read once. */
export function loadLayerPython(moduleUrl: string, layer: string, name: string): string {
  const key = `${layer}/${name}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const text = minifyPython(readFileSync(layerAsset(moduleUrl, layer, name), 'utf8'));
  cache.set(key, text);
  return text;
}

/** Minified text of `src/repl/py/<name>`. */
export function loadReplPython(name: string): string {
  return loadLayerPython(import.meta.url, 'repl', name);
}
