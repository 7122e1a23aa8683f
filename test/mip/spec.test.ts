// test/mip/spec.test.ts: reading `mip install` arguments and mpremote's github:/gitlab: rewrite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultTarget } from '../../src/mip/board-info.js';
import { packageJsonUrl, parseSpec, rewriteUrl, specKind } from '../../src/mip/spec.js';

test('name@version splits at the last @; a URL keeps a user@host part', () => {
  assert.deepEqual(parseSpec('aioble'), { name: 'aioble', version: undefined });
  assert.deepEqual(parseSpec('aioble@0.3'), { name: 'aioble', version: '0.3' });
  assert.deepEqual(parseSpec('github:org/repo@v1.2'), { name: 'github:org/repo', version: 'v1.2' });
  assert.deepEqual(parseSpec('https://u@host/x.py'), {
    name: 'https://u@host/x.py',
    version: undefined,
  });
  assert.deepEqual(parseSpec('https://host/x.py@main'), {
    name: 'https://host/x.py',
    version: 'main',
  });
  assert.deepEqual(parseSpec('pkg@'), { name: 'pkg', version: undefined });
});

test('what a spec names', () => {
  assert.equal(specKind('aioble'), 'index');
  assert.equal(specKind('github:org/repo'), 'remote-json');
  assert.equal(specKind('github:org/repo/lib/x.py'), 'remote-file');
  assert.equal(specKind('gitlab:org/repo/pkg.json'), 'remote-json');
  assert.equal(specKind('https://example.com/x.mpy'), 'remote-file');
  assert.equal(specKind('https://example.com/pkg/'), 'remote-json');
  assert.equal(specKind('./pkg'), 'local-json');
  assert.equal(specKind('pkg/package.json'), 'local-json');
  assert.equal(specKind('package.json'), 'local-json');
  assert.equal(specKind('.'), 'local-json');
  assert.equal(specKind('tool.py'), 'local-file');
});

test('github: and gitlab: become raw URLs at the ref, HEAD by default (mpremote)', () => {
  assert.equal(
    rewriteUrl('github:org/repo/package.json'),
    'https://raw.githubusercontent.com/org/repo/HEAD/package.json',
  );
  assert.equal(
    rewriteUrl('github:org/repo/a/b.py', 'v2'),
    'https://raw.githubusercontent.com/org/repo/v2/a/b.py',
  );
  assert.equal(
    rewriteUrl('gitlab:org/repo/package.json', 'dev'),
    'https://gitlab.com/org/repo/-/raw/dev/package.json',
  );
  assert.equal(rewriteUrl('https://x.org/a.py', 'v2'), 'https://x.org/a.py');
  assert.equal(
    rewriteUrl('github:o/r/x.py', undefined, { github: 'http://h:1', gitlab: 'http://g:2' }),
    'http://h:1/o/r/HEAD/x.py',
  );
  assert.equal(packageJsonUrl('github:org/repo'), 'github:org/repo/package.json');
  assert.equal(packageJsonUrl('https://h/pkg/'), 'https://h/pkg/package.json');
  assert.equal(packageJsonUrl('https://h/other.json'), 'https://h/other.json');
});

test('default target: first */lib of sys.path, not ROMFS; /lib, or / on a flat board', () => {
  assert.equal(defaultTarget(['', '.frozen', '/lib'], true), '/lib');
  assert.equal(defaultTarget(['', '/rom/lib', '/flash/lib', '/lib'], true), '/flash/lib');
  assert.throws(() => defaultTarget(['', '.frozen'], true), /Unable to find lib dir in sys\.path/);
  assert.throws(() => defaultTarget(['', '/rom/lib'], true), /use --target to override/);
  assert.equal(defaultTarget([], false), '/');
  assert.equal(defaultTarget(['', '/lib'], false), '/');
});
