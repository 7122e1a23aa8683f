// scripts/prepare.mjs: npm's `prepare` (run by `npm install` in a clone, `npm pack`, and installs
// from a git URL or a folder): build dist/. `npm i -g ./mpy` links the folder without installing
// its dependencies, so they are installed first when TypeScript is not there yet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// the settings of the global install that runs us must not make the inner install global too
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_config_(global|location|prefix)$/i.test(key),
  ),
);

function run(args) {
  const result = spawnSync('npm', args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(`${root}/node_modules/typescript/package.json`)) {
  run(['install', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
}
run(['run', 'build']);
