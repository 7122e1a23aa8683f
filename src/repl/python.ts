// src/repl/python.ts: load the board-side Python this layer runs (kept in real .py files).
import { existsSync, readFileSync } from 'node:fs';

const cache = new Map<string, string>();

/** Text of `src/repl/py/<name>`, found next to the compiled file or in the shipped sources. */
export function loadReplPython(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const places = [
    new URL(`./py/${name}`, import.meta.url),
    // dist/src/repl/ -> src/repl/py/ (the build copies only src/board/py).
    new URL(`../../../src/repl/py/${name}`, import.meta.url),
  ];
  const found = places.find((url) => existsSync(url));
  if (!found) throw new Error(`board-side Python ${name} is missing from the installation`);
  const text = readFileSync(found, 'utf8');
  cache.set(name, text);
  return text;
}
