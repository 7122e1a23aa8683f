#!/usr/bin/env node
// bin/mpy.js: the command's entry point. Runs the bundled CLI (dist/mpy.cjs, made by
// `npm run build`) with a V8 code cache beside it, which spares most of the compiling a new
// process does; the compiled modules (dist/src/cli.js) where there is no bundle.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/mpy.cjs', import.meta.url));
const modules = new URL('../dist/src/cli.js', import.meta.url);

// `mpy exec ... | head`: the reader went away; stop quietly instead of a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** The bundle's `main` (`stat`: its size and time), compiled with the cache when it fits this
 * bundle and this node; `save` writes a new cache (after the command, so what it compiled
 * lazily is in it too). */
function loadBundle({ size, mtimeMs }) {
  const source = readFileSync(bundle, 'utf8');
  // a cache says which bundle it is for; V8 checks the source and its own version again
  const cacheFile = `${bundle}.${process.version}.${size}.${Math.trunc(mtimeMs)}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const script = new Script(Module.wrap(source), {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const save = () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      const temp = `${cacheFile}.${process.pid}`;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      // a folder we cannot write to: no cache, only a slower start
    }
  };
  return { main: module.exports.main, save };
}

/** The bundle's stat, unless it is missing or older than the compiled modules (an earlier
 * build's, with `tsc` run alone since). */
function currentBundle() {
  try {
    const stat = statSync(bundle);
    return stat.mtimeMs >= statSync(modules).mtimeMs ? stat : undefined;
  } catch {
    return undefined;
  }
}

const current = currentBundle();
if (current) {
  const { main, save } = loadBundle(current);
  process.exitCode = await main(process.argv);
  save();
} else if (existsSync(modules)) {
  const { main } = await import(modules.href);
  process.exitCode = await main(process.argv);
} else {
  process.stderr.write('mpy: not built yet; run `npm run build` in the mpy folder first\n');
  process.exit(70);
}
