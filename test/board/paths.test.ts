// test/board/paths.test.ts: board path helpers, above all the temp names of atomic writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NAME_MAX, needsShortTemp, tempPathFor } from '../../src/board/paths.js';

test('a temp name is .NAME.mpy-tmp beside its target', () => {
  assert.equal(tempPathFor('/lib/x.py'), '/lib/.x.py.mpy-tmp');
  assert.equal(tempPathFor('x.py'), '.x.py.mpy-tmp');
});

test('a name whose temp name passes 255 bytes gets the short temp name ..mpy-tmp', () => {
  const edge = 'a'.repeat(NAME_MAX - 9);
  assert.equal(needsShortTemp(`/d/${edge}`), false);
  assert.equal(tempPathFor(`/d/${edge}`), `/d/.${edge}.mpy-tmp`);
  assert.equal(tempPathFor(`/d/${edge}b`), '/d/..mpy-tmp');
  assert.equal(tempPathFor(`${edge}b`), '..mpy-tmp');
  // bytes, not characters: 124 two-byte letters are 248 bytes
  assert.equal(tempPathFor(`/${'ü'.repeat(124)}`), '/..mpy-tmp');
  // ok.py clean() strips `.` and `.mpy-tmp`: what is left names the folder, never a file
  assert.equal('..mpy-tmp'.slice(1, -8), '');
});
