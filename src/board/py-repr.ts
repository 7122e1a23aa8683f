// src/board/py-repr.ts: parse what the board helper prints with `repr()` (str, bytes, int, None,
// bools, tuples, lists, dicts) into JS values, so no board output is ever evaluated.
import { TransportError } from '../errors.js';

/** A parsed Python value: tuples and lists both become arrays, bytes become Uint8Array. */
export type PyParsed =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | PyParsed[]
  | { [key: string]: PyParsed };

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07' };

class ReprParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): PyParsed {
    const value = this.value();
    this.space();
    if (this.pos !== this.text.length) this.fail('trailing text');
    return value;
  }

  private fail(why: string): never {
    throw new TransportError(`cannot parse board output (${why}): ${this.text.slice(0, 200)}`);
  }

  private space(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private value(): PyParsed {
    this.space();
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return this.str();
    if (c === 'b' && (this.text[this.pos + 1] === "'" || this.text[this.pos + 1] === '"')) {
      this.pos++;
      const s = this.str();
      return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
    }
    if (c === '(' || c === '[') return this.sequence(c === '(' ? ')' : ']');
    if (c === '{') return this.dict();
    const word = /^(None|True|False|-?\d+)/.exec(this.text.slice(this.pos));
    if (!word) this.fail(`unexpected ${JSON.stringify(c ?? 'end')}`);
    this.pos += word[0].length;
    if (word[0] === 'None') return null;
    if (word[0] === 'True' || word[0] === 'False') return word[0] === 'True';
    return Number(word[0]);
  }

  private str(): string {
    const quote = this.text[this.pos++];
    let out = '';
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) this.fail('unterminated string');
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++] ?? '';
      const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (width) {
        const digits = this.text.slice(this.pos, this.pos + width);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== width) this.fail('bad escape');
        out += String.fromCodePoint(Number.parseInt(digits, 16));
        this.pos += width;
      } else out += ESCAPES[e] ?? e;
    }
  }

  private sequence(close: string): PyParsed[] {
    this.pos++;
    const items: PyParsed[] = [];
    for (;;) {
      this.space();
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.value());
      this.space();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) this.fail('expected , or bracket');
    }
  }

  private dict(): { [key: string]: PyParsed } {
    this.pos++;
    const out: { [key: string]: PyParsed } = {};
    for (;;) {
      this.space();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.value();
      this.space();
      if (this.text[this.pos++] !== ':') this.fail('expected :');
      out[String(key)] = this.value();
      this.space();
      if (this.text[this.pos] === ',') this.pos++;
    }
  }
}

/** Parse one Python repr. Throws `TransportError` (with the text) when it is not one. */
export function parsePyRepr(text: string): PyParsed {
  return new ReprParser(text.trim()).parseAll();
}

/** Parse board output holding one repr per line (blank lines ignored). */
export function parsePyReprLines(text: string): PyParsed[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map(parsePyRepr);
}
