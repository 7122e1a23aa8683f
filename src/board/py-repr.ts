// src/board/py-repr.ts: read what the board helper prints with `repr()` through the REPL layer's
// literal parser, so no board output is ever evaluated; a bad line is a link problem here.
import { TransportError } from '../errors.js';
import { type PythonValue, parsePythonLiteral } from '../repl/literal.js';

/** A parsed Python value: tuples and lists both become arrays, bytes become Uint8Array. */
export type PyParsed = PythonValue;

/** Parse one Python repr. Throws `TransportError` (with the text) when it is not one. */
export function parsePyRepr(text: string): PyParsed {
  try {
    return parsePythonLiteral(text);
  } catch (error) {
    throw new TransportError(
      `cannot parse board output (${(error as Error).message}): ${text.slice(0, 200)}`,
      { cause: error },
    );
  }
}

/** Parse board output holding one repr per line (blank lines ignored). */
export function parsePyReprLines(text: string): PyParsed[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map(parsePyRepr);
}
