// test/sync/ignore.test.ts: the gitignore matcher against git's documented pattern rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_IGNORES, IgnoreMatcher } from '../../src/sync/ignore.js';

test('a name without a slash matches at any depth', () => {
  const m = new IgnoreMatcher(['*.log', 'build']);
  assert.equal(m.ignores('a.log', false), true);
  assert.equal(m.ignores('lib/deep/a.log', false), true);
  assert.equal(m.ignores('lib/a.py', false), false);
  assert.equal(m.ignores('lib/build', true), true);
  assert.equal(m.ignores('lib/build/x.py', false), true, 'inside an ignored folder');
});

test('a slash anchors the pattern to the root', () => {
  const m = new IgnoreMatcher(['/secrets.py', 'lib/gen']);
  assert.equal(m.ignores('secrets.py', false), true);
  assert.equal(m.ignores('sub/secrets.py', false), false);
  assert.equal(m.ignores('lib/gen', true), true);
  assert.equal(m.ignores('x/lib/gen', true), false);
});

test('a trailing slash matches folders only', () => {
  const m = new IgnoreMatcher(['out/']);
  assert.equal(m.ignores('out', true), true);
  assert.equal(m.ignores('out', false), false);
  assert.equal(m.ignores('out/a.py', false), true);
});

test('** matches any number of folders', () => {
  const m = new IgnoreMatcher(['**/tests/*.py', 'docs/**', 'a/**/z']);
  assert.equal(m.ignores('tests/t.py', false), true);
  assert.equal(m.ignores('x/y/tests/t.py', false), true);
  assert.equal(m.ignores('docs/a/b.md', false), true);
  assert.equal(m.ignores('docs', true), false);
  assert.equal(m.ignores('a/z', false), true);
  assert.equal(m.ignores('a/b/c/z', false), true);
  assert.equal(m.ignores('b/a/z', false), false);
});

test('! negates an earlier match, but not inside an ignored folder', () => {
  const m = new IgnoreMatcher(['*.py', '!main.py', 'cache/', '!cache/keep.py']);
  assert.equal(m.ignores('a.py', false), true);
  assert.equal(m.ignores('main.py', false), false);
  assert.equal(m.ignores('cache/keep.py', false), true);
});

test('? and character classes; comments, blanks and escapes', () => {
  const m = new IgnoreMatcher([
    '# comment',
    '',
    'file?.txt',
    '[ab].py',
    '[!x]y',
    '\\#hash',
    'sp\\ ',
  ]);
  assert.equal(m.ignores('file1.txt', false), true);
  assert.equal(m.ignores('file10.txt', false), false);
  assert.equal(m.ignores('a.py', false), true);
  assert.equal(m.ignores('c.py', false), false);
  assert.equal(m.ignores('zy', false), true);
  assert.equal(m.ignores('xy', false), false);
  assert.equal(m.ignores('#hash', false), true);
  assert.equal(m.ignores('# comment', false), false);
});

test('the defaults cover editor temp files and tool folders', () => {
  const m = new IgnoreMatcher(DEFAULT_IGNORES);
  for (const path of [
    '.main.py.swp',
    'lib/.x.py.swo',
    '.main.py.swx',
    'main.py~',
    '4913',
    '.#main.py',
    '#main.py#',
    'x.tmp',
    '__pycache__/a.pyc',
    '.git/HEAD',
    '.DS_Store',
  ]) {
    assert.equal(m.ignores(path, false), true, path);
  }
  for (const path of ['main.py', 'lib/swp.py', 'a#b.py', 'data.json']) {
    assert.equal(m.ignores(path, false), false, path);
  }
});
