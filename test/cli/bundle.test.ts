// test/cli/bundle.test.ts: bin/mpy.js runs the bundled CLI (dist/mpy.cjs) with a code cache it
// writes beside it, and the compiled modules where the bundle is missing or older than them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A copy of bin/mpy.js over a stand-in bundle and stand-in modules that say which ran. */
function layout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-bundle-'));
  temps.push(dir);
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'src'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'mpy.js'), join(dir, 'bin', 'mpy.js'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(
    join(dir, 'dist', 'src', 'cli.js'),
    'export async function main(argv) { console.log("modules", argv.slice(2).join(" ")); return 0; }\n',
  );
  writeFileSync(
    join(dir, 'dist', 'mpy.cjs'),
    'exports.main = async (argv) => { console.log("bundle", argv.slice(2).join(" ")); return 3; };\n',
  );
  return dir;
}

function run(dir: string, ...args: string[]): { out: string; code: number } {
  try {
    return {
      out: execFileSync(process.execPath, [join(dir, 'bin', 'mpy.js'), ...args], {
        encoding: 'utf8',
      }),
      code: 0,
    };
  } catch (error) {
    const failed = error as { stdout: string; status: number };
    return { out: failed.stdout, code: failed.status };
  }
}

const caches = (dir: string) => readdirSync(join(dir, 'dist')).filter((n) => n.endsWith('.cache'));

test('the bundle runs, its exit code is kept, and its code cache is written once and then used', () => {
  const dir = layout();
  assert.deepEqual(run(dir, 'ls', ':'), { out: 'bundle ls :\n', code: 3 });
  const [cache] = caches(dir);
  assert.ok(cache, 'no code cache written');
  const first = readFileSync(join(dir, 'dist', cache));
  assert.deepEqual(run(dir, 'exec', 'x'), { out: 'bundle exec x\n', code: 3 });
  assert.deepEqual(caches(dir), [cache]);
  assert.deepEqual(readFileSync(join(dir, 'dist', cache)), first, 'an accepted cache is rewritten');
});

test('a bundle older than the compiled modules (tsc run alone) is passed over', () => {
  const dir = layout();
  const old = new Date(Date.now() - 60_000);
  utimesSync(join(dir, 'dist', 'mpy.cjs'), old, old);
  assert.deepEqual(run(dir, 'ls'), { out: 'modules ls\n', code: 0 });
  rmSync(join(dir, 'dist', 'mpy.cjs'));
  assert.deepEqual(run(dir, 'ls'), { out: 'modules ls\n', code: 0 });
});

test('the real bundle is current after the build and gives the version', () => {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  assert.equal(run(ROOT, '--version').out.trim(), version);
  const dist = readdirSync(join(ROOT, 'dist'));
  assert.ok(dist.includes('mpy.cjs'), 'the build made no bundle');
});
