// test/mip/resolve.test.ts: the resolver against a local HTTP index and local package folders:
// which URLs it asks for, which files it plans where, dependencies once, and its error lines.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { PackageResolver, type PlanStep, type ResolveOptions } from '../../src/mip/resolve.js';
import { parseSpec } from '../../src/mip/spec.js';
import { IndexServer, shortHash } from './index-server.js';

let server: IndexServer;
let dir: string;

before(async () => {
  server = await IndexServer.start();
  dir = mkdtempSync(join(tmpdir(), 'mpy-mip-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
});

function resolver(options: Partial<ResolveOptions> = {}): PackageResolver {
  return new PackageResolver({
    index: `${server.url}/`,
    target: '/lib',
    mpyVersion: '6',
    hosts: { github: `${server.url}/gh`, gitlab: `${server.url}/gl` },
    cwd: dir,
    ...options,
  });
}

/** The plan as text: notes as they are, files as `DEST = CONTENTS`. */
function show(steps: PlanStep[]): string[] {
  return steps.map((s) =>
    s.kind === 'note' ? s.text : `${s.dest} = ${Buffer.from(s.data).toString()}`,
  );
}

const install = async (spec: string, options: Partial<ResolveOptions> = {}) =>
  show(await resolver(options).resolve(parseSpec(spec)));

test('an index package: package/MPY/NAME/latest.json, files by hash, @version', async () => {
  server.addPackage('alpha', { files: { 'alpha/__init__.mpy': 'A6', 'alpha/core.mpy': 'C6' } });
  server.addPackage('alpha', { files: { 'alpha/__init__.mpy': 'A6 v1' } }, '6', '1.0');
  assert.deepEqual(await install('alpha'), [
    `Installing alpha (latest) from ${server.url} to /lib`,
    '/lib/alpha/__init__.mpy = A6',
    '/lib/alpha/core.mpy = C6',
  ]);
  assert.deepEqual(server.requests, [
    '/package/6/alpha/latest.json',
    `/file/${shortHash('A6').slice(0, 2)}/${shortHash('A6')}`,
    `/file/${shortHash('C6').slice(0, 2)}/${shortHash('C6')}`,
  ]);
  assert.deepEqual(await install('alpha@1.0', { target: '/flash/lib/' }), [
    `Installing alpha (1.0) from ${server.url} to /flash/lib/`,
    '/flash/lib/alpha/__init__.mpy = A6 v1',
  ]);
});

test('mpy version py (--no-mpy) asks for source files; a missing .mpy build falls back to them', async () => {
  server.addPackage('beta', { files: { 'beta.py': 'B = 1' } }, 'py');
  assert.deepEqual(await install('beta', { mpyVersion: 'py' }), [
    `Installing beta (latest) from ${server.url} to /lib`,
    '/lib/beta.py = B = 1',
  ]);
  server.requests.length = 0;
  assert.deepEqual(await install('beta', { mpyVersion: '7' }), [
    `Installing beta (latest) from ${server.url} to /lib`,
    'No .mpy files of beta for mpy version 7: installing .py files',
    '/lib/beta.py = B = 1',
  ]);
  assert.deepEqual(server.requests.slice(0, 2), [
    '/package/7/beta/latest.json',
    '/package/py/beta/latest.json',
  ]);
});

test('deps are installed after the files, recursively, each once, cycles end', async () => {
  server.addPackage('top', {
    files: { 'top.mpy': 'T' },
    deps: [
      ['mid', ''],
      ['leaf', 'latest'],
    ],
  });
  server.addPackage('mid', {
    files: { 'mid.mpy': 'M' },
    deps: [
      ['leaf', ''],
      ['top', ''],
    ],
  });
  server.addPackage('leaf', { files: { 'leaf.mpy': 'L' }, version: '0.1' });
  const run = resolver();
  assert.deepEqual(show(await run.resolve(parseSpec('top'))), [
    `Installing top (latest) from ${server.url} to /lib`,
    '/lib/top.mpy = T',
    `Installing mid (latest) from ${server.url} to /lib`,
    '/lib/mid.mpy = M',
    `Installing leaf (latest) from ${server.url} to /lib`,
    '/lib/leaf.mpy = L',
  ]);
  // the same run does not plan a dependency again, but an explicit package always
  assert.deepEqual(show(await run.resolve(parseSpec('mid'))), [
    `Installing mid (latest) from ${server.url} to /lib`,
    '/lib/mid.mpy = M',
  ]);
});

test('a dependency pinned to another version than the run installed is said, not dropped', async () => {
  server.addPackage('one', { files: { 'one.mpy': '1' }, deps: [['shared', '1.0']] });
  server.addPackage('two', { files: { 'two.mpy': '2' }, deps: [['shared', '2.0']] });
  server.addPackage('three', { files: { 'three.mpy': '3' }, deps: [['shared', '1.0']] });
  server.addPackage('shared', { files: { 'shared.mpy': 'S1' } }, '6', '1.0');
  const run = resolver();
  assert.deepEqual(show(await run.resolve(parseSpec('one'))), [
    `Installing one (latest) from ${server.url} to /lib`,
    '/lib/one.mpy = 1',
    `Installing shared (1.0) from ${server.url} to /lib`,
    '/lib/shared.mpy = S1',
  ]);
  assert.deepEqual(show(await run.resolve(parseSpec('two'))), [
    `Installing two (latest) from ${server.url} to /lib`,
    '/lib/two.mpy = 2',
    'Not installing shared@2.0: shared@1.0 is installed in this run',
  ]);
  // the same pin again is simply already there
  assert.deepEqual(show(await run.resolve(parseSpec('three'))), [
    `Installing three (latest) from ${server.url} to /lib`,
    '/lib/three.mpy = 3',
  ]);
});

test('github: and gitlab: packages at a ref: package.json with relative urls, single files', async () => {
  server.put('/gh/org/repo/v2/package.json', {
    urls: [
      ['repo/__init__.py', 'src/init.py'],
      ['repo/extra.py', 'github:org/other/extra.py'],
    ],
    deps: [['github:org/dep', 'main']],
    version: '2.0',
  });
  server.put('/gh/org/repo/v2/src/init.py', 'INIT');
  server.put('/gh/org/other/v2/extra.py', 'EXTRA');
  server.put('/gh/org/dep/main/package.json', { urls: [['dep.py', 'dep.py']] });
  server.put('/gh/org/dep/main/dep.py', 'DEP');
  assert.deepEqual(await install('github:org/repo@v2'), [
    'Installing github:org/repo/package.json to /lib',
    '/lib/repo/__init__.py = INIT',
    '/lib/repo/extra.py = EXTRA',
    'Installing github:org/dep/package.json to /lib',
    '/lib/dep.py = DEP',
  ]);
  server.put('/gh/org/repo/HEAD/tools/one.py', 'ONE');
  assert.deepEqual(await install('github:org/repo/tools/one.py'), [
    'Downloading github:org/repo/tools/one.py to /lib',
    '/lib/one.py = ONE',
  ]);
  server.put('/gl/org/repo/-/raw/HEAD/pkg/package.json', { urls: [['g.py', 'g.py']] });
  server.put('/gl/org/repo/-/raw/HEAD/pkg/g.py', 'G');
  assert.deepEqual(await install('gitlab:org/repo/pkg'), [
    'Installing gitlab:org/repo/pkg/package.json to /lib',
    '/lib/g.py = G',
  ]);
});

test('http URLs: a .py file, a package.json whose relative urls and deps stay remote', async () => {
  server.put('/site/single.py', 'S');
  assert.deepEqual(await install(`${server.url}/site/single.py`), [
    `Downloading ${server.url}/site/single.py to /lib`,
    '/lib/single.py = S',
  ]);
  server.put('/site/pkg/package.json', {
    urls: [['p/a.py', 'a.py']],
    deps: [
      ['./sub', ''],
      ['beta', ''],
    ],
  });
  server.put('/site/pkg/a.py', 'PA');
  server.put('/site/pkg/sub/package.json', { urls: [['p/sub.py', 'sub.py']] });
  server.put('/site/pkg/sub/sub.py', 'PSUB');
  server.addPackage('beta', { files: { 'beta.mpy': 'B6' } });
  assert.deepEqual(await install(`${server.url}/site/pkg`), [
    `Installing ${server.url}/site/pkg/package.json to /lib`,
    '/lib/p/a.py = PA',
    `Installing ${server.url}/site/pkg/sub/package.json to /lib`,
    '/lib/p/sub.py = PSUB',
    `Installing beta (latest) from ${server.url} to /lib`,
    '/lib/beta.mpy = B6',
  ]);
});

test('a local package.json or its folder: relative urls and deps from that folder', async () => {
  const pkg = join(dir, 'proj');
  mkdirSync(join(pkg, 'src'), { recursive: true });
  mkdirSync(join(dir, 'helper'));
  writeFileSync(join(pkg, 'src', 'main.py'), 'MAIN');
  writeFileSync(join(dir, 'helper', 'h.py'), 'HELP');
  writeFileSync(join(dir, 'helper', 'package.json'), JSON.stringify({ urls: [['h.py', 'h.py']] }));
  server.put('/remote/r.py', 'R');
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      urls: [
        ['proj/main.py', 'src/main.py'],
        ['proj/r.py', `${server.url}/remote/r.py`],
      ],
      deps: [['../helper', '']],
    }),
  );
  // as mpremote: a local package.json gets no `Installing … to` line of its own
  const expected = ['/lib/proj/main.py = MAIN', '/lib/proj/r.py = R', '/lib/h.py = HELP'];
  assert.deepEqual(await install('./proj'), expected);
  assert.deepEqual(await install(join(pkg, 'package.json')), expected);
  assert.deepEqual(await install(join(dir, 'helper', 'h.py')), [
    `Installing ${join(dir, 'helper', 'h.py')} to /lib`,
    '/lib/h.py = HELP',
  ]);
});

test('one clear error line for each way it fails', async () => {
  const failure = async (spec: string, options: Partial<ResolveOptions> = {}) => {
    try {
      await install(spec, options);
    } catch (error) {
      return (error as Error).message;
    }
    assert.fail(`${spec} did not fail`);
  };
  assert.equal(
    await failure('nosuch', { mpyVersion: 'py' }),
    `Package not found: ${server.url}/package/py/nosuch/latest.json`,
  );
  assert.equal(
    await failure('nosuch'),
    `Package not found: ${server.url}/package/6/nosuch/latest.json`,
  );
  server.put('/package/6/broken/latest.json', '{"hashes": [');
  assert.match(
    await failure('broken'),
    new RegExp(`^Invalid package.json ${server.url}/package/6/broken/latest.json: .*JSON`),
  );
  server.put('/package/6/shape/latest.json', { hashes: [['x.mpy']] });
  assert.match(await failure('shape'), /"hashes" entry \["x.mpy"\] is not a pair$/);
  server.put('/package/6/escape/latest.json', { urls: [['../boot.py', 'x.py']] });
  assert.match(await failure('escape'), /bad file path "\.\.\/boot\.py"$/);
  const hash = shortHash('the real thing');
  server.put('/package/6/tampered/latest.json', { hashes: [['t.mpy', hash]] });
  server.put(`/file/${hash.slice(0, 2)}/${hash}`, 'something else');
  assert.equal(
    await failure('tampered'),
    `Hash mismatch for t.mpy: ${server.url}/file/${hash.slice(0, 2)}/${hash} has sha256 ${shortHash('something else')}`,
  );
  server.put('/package/6/lost/latest.json', { hashes: [['l.mpy', 'abcdef12']] });
  assert.equal(await failure('lost'), `File not found: ${server.url}/file/ab/abcdef12`);
  server.fail('/package/6/down/latest.json', 503);
  assert.equal(
    await failure('down'),
    `Error 503 requesting ${server.url}/package/6/down/latest.json`,
  );
  const gone = await IndexServer.start();
  const goneUrl = gone.url;
  await gone.close();
  assert.equal(
    await failure('alpha', { index: goneUrl }),
    `connect ECONNREFUSED ${goneUrl.slice('http://'.length)} requesting ${goneUrl}/package/6/alpha/latest.json`,
  );
  assert.equal(await failure('./nowhere'), `Package not found: ${join(dir, 'nowhere')}`);
});
