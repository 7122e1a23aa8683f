// src/repl/literal.ts: parse the repr() of a Python value (what `eval` prints) on the host, without
// ever evaluating code: int, float, str, bytes, None/True/False, list, tuple, dict, set.
import { UsageError } from '../errors.js';

/** A parsed Python literal: tuples and lists become arrays, bytes Uint8Array, dicts with string
 * keys plain objects (other keys: Map), ints beyond 2^53 bigint, sets Set. */
export type PythonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PythonValue[]
  | Set<PythonValue>
  | Map<PythonValue, PythonValue>
  | { [key: string]: PythonValue };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/** Thrown for text that is not a literal; a UsageError because it means the expression's repr
 * is not a plain value (an object like `<function>`). */
export class LiteralSyntaxError extends UsageError {}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): PythonValue {
    const value = this.value();
    this.space();
    if (this.pos !== this.text.length) this.fail('unexpected text');
    return value;
  }

  private fail(why: string): never {
    const near = this.text.slice(this.pos, this.pos + 20);
    throw new LiteralSyntaxError(
      `not a Python literal (${why} at ${this.pos}: ${JSON.stringify(near)})`,
    );
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private eat(token: string): boolean {
    this.space();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private value(): PythonValue {
    this.space();
    const c = this.text[this.pos];
    if (c === undefined) this.fail('missing value');
    if (c === "'" || c === '"') return this.string(false);
    if ((c === 'b' || c === 'B') && /['"]/.test(this.text[this.pos + 1] ?? '')) {
      this.pos++;
      return this.string(true) as Uint8Array;
    }
    if (c === '[') return this.sequence('[', ']');
    if (c === '(') return this.tuple();
    if (c === '{') return this.dictOrSet();
    for (const [word, value] of [
      ['None', null],
      ['True', true],
      ['False', false],
      ['set()', new Set()],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value instanceof Set ? new Set<PythonValue>() : value;
      }
    }
    return this.number();
  }

  private number(): PythonValue {
    const match = /^[+-]?(?:inf|nan|0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(
      this.text.slice(this.pos),
    );
    if (!match) this.fail('unexpected character');
    const token = match[0];
    this.pos += token.length;
    if (/inf$/.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
    if (/nan$/.test(token)) return Number.NaN;
    if (/^[+-]?(?:\d+|0[xX][0-9a-fA-F]+)$/.test(token)) {
      const negative = token.startsWith('-');
      const big = BigInt(token.replace(/^[+-]/, ''));
      const signed = negative ? -big : big;
      return Number.isSafeInteger(Number(signed)) ? Number(signed) : signed;
    }
    return Number(token);
  }

  private string(asBytes: boolean): string | Uint8Array {
    const quote = this.text[this.pos]!;
    this.pos++;
    const codes: number[] = [];
    let out = '';
    const push = (s: string) => {
      if (asBytes) for (const ch of s) codes.push(ch.charCodeAt(0));
      else out += s;
    };
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      this.pos++;
      if (c === quote) break;
      if (c !== '\\') {
        if (asBytes && c.charCodeAt(0) > 0x7f) this.fail('non-ASCII in bytes');
        push(c);
        continue;
      }
      const e = this.text[this.pos++];
      if (e === undefined) this.fail('unterminated escape');
      if (e in SIMPLE_ESCAPES) push(SIMPLE_ESCAPES[e]!);
      else if (e === 'x') push(String.fromCharCode(this.hex(2)));
      else if (e === 'u' && !asBytes) push(String.fromCodePoint(this.hex(4)));
      else if (e === 'U' && !asBytes) push(String.fromCodePoint(this.hex(8)));
      else push(`\\${e}`);
    }
    return asBytes ? Uint8Array.from(codes) : out;
  }

  private hex(digits: number): number {
    const part = this.text.slice(this.pos, this.pos + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(part)) this.fail('bad escape');
    this.pos += digits;
    return Number.parseInt(part, 16);
  }

  private sequence(open: string, close: string): PythonValue[] {
    this.eat(open);
    const items: PythonValue[] = [];
    while (!this.eat(close)) {
      items.push(this.value());
      if (!this.eat(',')) {
        if (!this.eat(close)) this.fail(`expected , or ${close}`);
        break;
      }
    }
    return items;
  }

  private tuple(): PythonValue[] {
    return this.sequence('(', ')');
  }

  private dictOrSet(): PythonValue {
    this.eat('{');
    if (this.eat('}')) return {};
    const first = this.value();
    if (!this.eat(':')) {
      const set = new Set<PythonValue>([first]);
      while (this.eat(',')) {
        if (this.eat('}')) return set;
        set.add(this.value());
      }
      if (!this.eat('}')) this.fail('expected , or }');
      return set;
    }
    const entries: Array<[PythonValue, PythonValue]> = [[first, this.value()]];
    while (this.eat(',')) {
      this.space();
      if (this.text[this.pos] === '}') break;
      const key = this.value();
      if (!this.eat(':')) this.fail('expected :');
      entries.push([key, this.value()]);
    }
    if (!this.eat('}')) this.fail('expected , or }');
    if (entries.every(([key]) => typeof key === 'string')) {
      const object: { [key: string]: PythonValue } = {};
      for (const [key, value] of entries) {
        Object.defineProperty(object, key as string, { value, enumerable: true, writable: true });
      }
      return object;
    }
    return new Map(entries);
  }
}

/** Parse one Python literal as printed by `repr()`. Throws `LiteralSyntaxError` otherwise. */
export function parsePythonLiteral(text: string): PythonValue {
  return new Parser(text.trim()).parseAll();
}
