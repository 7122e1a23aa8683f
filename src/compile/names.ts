// src/compile/names.ts: which files `--mpy` compiles, and the two names of one module on the
// board (`x.py` and `x.mpy`), of which only one may stay.

/** Files the board runs by name at boot, which must stay source. */
const KEPT_SOURCE = new Set(['boot.py', 'main.py']);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `dir/x.mpy` for a `dir/x.py` that `--mpy` compiles; undefined for anything else (`main.py`,
 * `boot.py`, other files). Paths are `/`-separated. */
export function compiledName(path: string): string | undefined {
  const name = baseName(path);
  if (!name.endsWith('.py') || name === '.py' || KEPT_SOURCE.has(name)) return undefined;
  return `${path.slice(0, -3)}.mpy`;
}

/** `dir/x.py` for a `dir/x.mpy` (the source `compiledName` maps to it); undefined otherwise. */
export function sourceName(path: string): string | undefined {
  const name = baseName(path);
  if (!name.endsWith('.mpy') || name === '.mpy') return undefined;
  const source = `${path.slice(0, -4)}.py`;
  return compiledName(source) === path ? source : undefined;
}

/**
 * The other form of the same module: `x.mpy` for `x.py`, `x.py` for `x.mpy`. Where both are on
 * the board MicroPython imports `x.py`, so whichever one was not just sent is stale.
 */
export function counterpartName(path: string): string | undefined {
  const name = baseName(path);
  if (name.endsWith('.py') && name !== '.py') return `${path.slice(0, -3)}.mpy`;
  if (name.endsWith('.mpy') && name !== '.mpy') return `${path.slice(0, -4)}.py`;
  return undefined;
}
