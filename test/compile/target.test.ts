// test/compile/target.test.ts: which boards --mpy accepts, from what sys.implementation says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkMpyTarget } from '../../src/compile/target.js';

test('version 6, with or without a native arch in the high bits, is accepted', () => {
  checkMpyTarget({ mpy: 6, firmware: '1.19.1' });
  checkMpyTarget({ mpy: 6918, firmware: '1.29.0' }); // qemu Cortex-M3: armv7m << 10 | 6
  checkMpyTarget({ mpy: 774, firmware: '1.27.0' }); // the WebAssembly port
});

test('another version, or none, is refused in one line naming the firmware', () => {
  assert.throws(
    () => checkMpyTarget({ mpy: 5, firmware: '1.12.0' }),
    /^MpyError: --mpy: this board \(MicroPython 1\.12\.0\) loads \.mpy version 5; mpy-cross makes version 6/,
  );
  assert.throws(
    () => checkMpyTarget({ mpy: undefined, firmware: '1.9.2' }),
    /^MpyError: --mpy: this board \(MicroPython 1\.9\.2\) has no sys\.implementation\._mpy/,
  );
  assert.throws(() => checkMpyTarget({ mpy: undefined, firmware: '' }), /\(its firmware\)/);
});
