// scripts/bundle.mjs: the CLI as one CommonJS file, dist/mpy.cjs, which bin/mpy.js loads with a
// V8 code cache. A command is a new process each time: node's ES module loader (one file read,
// resolved and linked at a time, ~60 of them) and compiling them again cost more than the
// command's own bytes on the wire. Packages stay outside (serialport and fuse-native load native
// code, the sim's WebAssembly port is big and only `-d sim` needs it).
//
// Each module keeps its own `import.meta.url` (its file under dist/src/), so the board-side
// Python beside it, the sim's worker and the pty relay are found where the build put them.
import { readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** `import.meta.url` of a bundled module, as it was: the bundle's folder plus its path. */
const moduleUrl = {
  name: 'module-url',
  setup(context) {
    context.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      const path = relative(dist, args.path).split('\\').join('/');
      contents = contents.replaceAll('import.meta.url', `__mpyModuleUrl(${JSON.stringify(path)})`);
      return { contents, loader: 'js' };
    });
  },
};

await build({
  entryPoints: [fileURLToPath(new URL('../dist/src/cli.js', import.meta.url))],
  outfile: fileURLToPath(new URL('../dist/mpy.cjs', import.meta.url)),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: [
    '@micropython/*',
    '@pybricks/*',
    'serialport',
    '@serialport/*',
    'fuse-native',
    'ws',
    'chokidar',
  ],
  banner: {
    js:
      '"use strict";\n' +
      "const __mpyModuleUrl = (p) => require('node:url').pathToFileURL(require('node:path').join(__dirname, p)).href;",
  },
  plugins: [moduleUrl],
  // import() of a package becomes require(): the bundle runs as a vm.Script (for the code cache),
  // which has no module loader of its own
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
});

// code caches of earlier bundles (bin/mpy.js names them after the bundle they are for)
for (const name of readdirSync(dist)) {
  if (/^mpy\.cjs\..*\.cache/.test(name)) rmSync(join(dist, name));
}
