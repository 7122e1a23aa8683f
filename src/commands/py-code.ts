// src/commands/py-code.ts: board-side Python of commands that are not file operations (rtc), kept
// in src/commands/py/ and copied next to the compiled code by the build.
import { loadLayerPython } from '../repl/python.js';

/** Minified text of `src/commands/py/<name>`. */
export function commandPython(name: string): string {
  return loadLayerPython(import.meta.url, 'commands', name);
}
