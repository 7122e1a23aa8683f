// src/board/py-literal.ts: the one encoder through which every name, path and value reaches board
// code. Output is ASCII-only Python source, so no user string can end a literal or inject code.
import { UsageError } from '../errors.js';

/** A value `pyValue` can encode. */
export type PyValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | Uint8Array
  | readonly PyValue[]
  | { readonly [key: string]: PyValue };

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/**
 * A Python `str` literal for `s`, ASCII only: quotes, backslashes and control characters are
 * escaped, other non-ASCII code points become `\xNN`, `\uNNNN` or `\UNNNNNNNN`. Throws
 * `UsageError` for a lone UTF-16 surrogate, which no board file name can hold.
 */
export function pyStr(s: string): string {
  let out = "'";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      throw new UsageError(`invalid name (lone surrogate U+${hex(cp, 4)}): ${JSON.stringify(s)}`);
    }
    if (ch === "'" || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x100) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}'`;
}

/** Bytes with a two-character escape (text files are full of newlines). */
const SHORT_ESCAPES: Record<number, string> = { 10: '\\n', 13: '\\r', 9: '\\t' };

/** A Python `bytes` literal for `data`: printable ASCII as is, `\n` `\r` `\t`, everything else
 * `\xNN`. */
export function pyBytes(data: Uint8Array): string {
  let out = "b'";
  for (const byte of data) {
    if (byte === 0x27 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else if (SHORT_ESCAPES[byte]) out += SHORT_ESCAPES[byte];
    else out += `\\x${hex(byte, 2)}`;
  }
  return `${out}'`;
}

/**
 * A Python literal for a JS value: strings via `pyStr`, bytes via `pyBytes`, integers,
 * booleans, `None`, lists (arrays become tuples) and dicts with string keys.
 */
export function pyValue(value: PyValue): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${value}`);
    return String(value);
  }
  if (value instanceof Uint8Array) return pyBytes(value);
  if (Array.isArray(value)) {
    const items = (value as readonly PyValue[]).map(pyValue);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(',')})`;
  }
  const entries = Object.entries(value as { readonly [key: string]: PyValue });
  return `{${entries.map(([k, v]) => `${pyStr(k)}:${pyValue(v)}`).join(',')}}`;
}

/** `name(arg, arg, …)` with every argument encoded by `pyValue`. `name` must be a constant. */
export function pyCall(name: string, ...args: PyValue[]): string {
  return `${name}(${args.map(pyValue).join(',')})`;
}
