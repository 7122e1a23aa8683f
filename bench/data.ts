// bench/data.ts: benchmark payloads from fixed seeds, so every run moves the same bytes.

/** mulberry32: a tiny seeded PRNG; the same seed gives the same stream on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Incompressible bytes. */
export function randomBytes(size: number, seed: number): Uint8Array {
  const next = seededRandom(seed);
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.floor(next() * 256);
  return data;
}

const WORDS = ['led', 'pin', 'sensor', 'value', 'count', 'buffer', 'uart', 'i2c', 'timer', 'state'];

/** Plausible MicroPython source of about `size` bytes: functions, comments, constants. */
export function pythonSource(size: number, seed: number): string {
  const next = seededRandom(seed);
  const pick = () => WORDS[Math.floor(next() * WORDS.length)];
  const lines: string[] = [
    '# generated benchmark module',
    'import time',
    'from machine import Pin',
    '',
  ];
  let length = lines.join('\n').length;
  let n = 0;
  while (length < size) {
    const a = pick();
    const b = pick();
    const block = [
      `def ${a}_${b}_${n}(${a}, ${b}=${Math.floor(next() * 100)}):`,
      `    """Read the ${a} and scale it by ${b}."""`,
      `    total = 0`,
      `    for i in range(${1 + Math.floor(next() * 9)}):`,
      `        total += ${a} * i + ${b}  # accumulate ${pick()}`,
      `    return total`,
      '',
    ];
    n++;
    const text = block.join('\n');
    lines.push(text);
    length += text.length + 1;
  }
  return `${lines.join('\n').slice(0, size - 1)}\n`;
}

/** A project tree: `count` files spread over a few folders (or all at the top when `flat`, for
 * boards without folders), sizes 200 B to ~3 KB. */
export function projectTree(count: number, seed: number, flat = false): Map<string, Uint8Array> {
  const next = seededRandom(seed);
  const folders = flat ? [''] : ['', 'lib/', 'lib/drivers/', 'app/'];
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const folder = folders[i % folders.length];
    const size = 200 + Math.floor(next() * 2800);
    files.set(`${folder}mod_${i}.py`, new TextEncoder().encode(pythonSource(size, seed + i)));
  }
  return files;
}

/** The everyday table's project (issue 17): `count` .py files of 200 B to 1.6 KB (about 45 KB
 * for 50), alternately at its top and in `lib/`, so the files sit in two folders. */
export function everydayTree(count: number, seed: number): Map<string, Uint8Array> {
  const next = seededRandom(seed);
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const size = 200 + Math.floor(next() * 1400);
    const name = `${i % 2 ? 'lib/' : ''}mod_${i}.py`;
    files.set(name, new TextEncoder().encode(pythonSource(size, seed + i)));
  }
  return files;
}
