// test/compile/names.test.ts: which files --mpy compiles, and the two forms of one module.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compiledName, counterpartName, sourceName } from '../../src/compile/names.js';

test('every .py but boot.py and main.py is compiled, in any folder', () => {
  assert.equal(compiledName('lib.py'), 'lib.mpy');
  assert.equal(compiledName('lib/pkg/__init__.py'), 'lib/pkg/__init__.mpy');
  assert.equal(compiledName('/abs/x.py'), '/abs/x.mpy');
  assert.equal(compiledName('main.py'), undefined);
  assert.equal(compiledName('app/boot.py'), undefined);
  assert.equal(compiledName('data.json'), undefined);
  assert.equal(compiledName('x.mpy'), undefined);
  assert.equal(compiledName('.py'), undefined);
  assert.equal(compiledName('main.pyc'), undefined);
});

test('a compiled name leads back to its source; other .mpy files have none', () => {
  assert.equal(sourceName('lib/x.mpy'), 'lib/x.py');
  assert.equal(sourceName('main.mpy'), undefined);
  assert.equal(sourceName('x.py'), undefined);
});

test('x.py and x.mpy are each the other one’s counterpart', () => {
  assert.equal(counterpartName('a/x.py'), 'a/x.mpy');
  assert.equal(counterpartName('a/x.mpy'), 'a/x.py');
  assert.equal(counterpartName('main.py'), 'main.mpy');
  assert.equal(counterpartName('x.txt'), undefined);
});
