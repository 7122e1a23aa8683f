// src/board/py-source.ts: the parts of the board-side helper (src/board/py/*.py, copied next to
// the compiled code by the build), what each needs, minified, and the version they make up.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { minifyPython } from '../repl/python.js';

/** The helper parts; each adds functions to the `_mpy` namespace that `core` defines. */
export type HelperPart =
  | 'core'
  | 'reuse'
  | 'mvu'
  | 'dg'
  | 'dga'
  | 'ok'
  | 'mvr'
  | 'mvc'
  | 'ls'
  | 'tree'
  | 'rm'
  | 'dirs'
  | 'df'
  | 'put'
  | 'get'
  | 'tput'
  | 'direct'
  | 'tget'
  | 'patch'
  | 'tree-compare'
  | 'tree-write';

/** What each part calls in other parts (core is under all of them); `dg` and `mvr` stand for
 * the variant the board needs (see `variant`). */
const NEEDS: Record<HelperPart, HelperPart[]> = {
  core: [],
  reuse: [],
  mvu: ['mvr'],
  dg: [],
  dga: [],
  ok: ['dg', 'mvr'],
  mvr: [],
  mvc: [],
  ls: [],
  tree: ['dg'],
  rm: [],
  dirs: [],
  df: [],
  put: ['ok'],
  get: [],
  tput: ['ok'],
  direct: ['tput', 'dg'],
  tget: [],
  patch: ['ok'],
  'tree-compare': ['dg'],
  'tree-write': ['put', 'tree-compare'],
};

const ALL = Object.keys(NEEDS) as HelperPart[];
const cache = new Map<HelperPart, string>();

/** The minified source of one helper part, read once per process. */
export function helperSource(part: HelperPart): string {
  let text = cache.get(part);
  if (text === undefined) {
    text = minifyPython(readFileSync(new URL(`./py/${part}.py`, import.meta.url), 'utf8'));
    cache.set(part, text);
  }
  return text;
}

/** What the board has, for the parts that come in variants. */
export interface BoardKind {
  /** hashlib: dg.py (sha256, else a checksum); without: dga.py (the checksum only, smaller). */
  hashlib: boolean;
  /** os.rename: mvr.py; without (micro:bit): mvc.py, replacing by copying. */
  rename: boolean;
}

function variant(part: HelperPart, kind: BoardKind): HelperPart {
  if (part === 'dg' && !kind.hashlib) return 'dga';
  if (part === 'mvr' && !kind.rename) return 'mvc';
  return part;
}

/** `parts` with everything they need, in load order (core first, needed before needing). */
export function withNeeds(
  parts: HelperPart[],
  kind: BoardKind = { hashlib: true, rename: true },
): HelperPart[] {
  const out: HelperPart[] = [];
  const add = (wanted: HelperPart) => {
    const part = variant(wanted, kind);
    if (out.includes(part)) return;
    for (const need of NEEDS[part]) add(need);
    out.push(part);
  };
  add('core');
  for (const part of parts) add(part);
  return out;
}

/** True for a part name (as the board reports what it has loaded). */
export function isHelperPart(name: string): name is HelperPart {
  return (ALL as string[]).includes(name);
}

let version: string | undefined;

/** A short hash of every part: a helper left on a board is reused only by the same mpy. */
export function helperVersion(): string {
  version ??= createHash('sha256')
    .update(ALL.map(helperSource).join('\0'))
    .digest('hex')
    .slice(0, 10);
  return version;
}
