// src/assets.ts: find the files a layer ships beside its code (board-side Python, the pty
// relay), shared by every layer like errors.ts.
import { existsSync } from 'node:fs';

/**
 * Where `src/<layer>/py/<name>` is for the compiled module at `moduleUrl` (its
 * `import.meta.url`): next to it (copied by scripts/copy-assets.mjs), else in the sources (a build
 * made without that step: dist/src/<layer>/ -> src/<layer>/py/).
 */
export function layerAsset(moduleUrl: string, layer: string, name: string): URL {
  const places = [
    new URL(`./py/${name}`, moduleUrl),
    new URL(`../../../src/${layer}/py/${name}`, moduleUrl),
  ];
  const found = places.find((url) => existsSync(url));
  if (!found) throw new Error(`${layer}/py/${name} is missing from the installation`);
  return found;
}
