// src/commands/py-code.ts: board-side Python of commands that are not file operations (rtc), kept
// in src/commands/py/ and copied next to the compiled code by the build.
import { existsSync, readFileSync } from 'node:fs';
import { minifyPython } from '../repl/python.js';

const cache = new Map<string, string>();

/** Minified text of `src/commands/py/<name>`, found next to the compiled file or in the sources. */
export function commandPython(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const places = [
    new URL(`./py/${name}`, import.meta.url),
    // dist/src/commands/ -> src/commands/py/, for a build made without scripts/copy-assets.mjs
    new URL(`../../../src/commands/py/${name}`, import.meta.url),
  ];
  const found = places.find((url) => existsSync(url));
  if (!found) throw new Error(`board-side Python ${name} is missing from the installation`);
  const text = minifyPython(readFileSync(found, 'utf8'));
  cache.set(name, text);
  return text;
}
