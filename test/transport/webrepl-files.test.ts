// test/transport/webrepl-files.test.ts: the host side of WebREPL's WA file protocol: header
// layout as webrepl_cli.py packs it, and PUT's data frames around the board's 512+1 quirk.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dataFrames, waHeader } from '../../src/transport/webrepl-files.js';

describe('waHeader', () => {
  test('is struct.pack("<2sBBQLH64s", b"WA", type, 0, 0, size, len(name), name)', () => {
    const head = waHeader(1, '/.f.mpy-tmp', 70_000);
    assert.equal(head.length, 82);
    assert.equal(head.toString('latin1', 0, 2), 'WA');
    assert.deepEqual([head[2], head[3]], [1, 0]);
    assert.equal(head.readBigUInt64LE(4), 0n);
    assert.equal(head.readUInt32LE(12), 70_000);
    assert.equal(head.readUInt16LE(16), 11);
    assert.equal(head.toString('utf8', 18, 29), '/.f.mpy-tmp');
    assert.ok(head.subarray(29).every((byte) => byte === 0));
  });

  test('refuses a name over fname[64]', () => {
    assert.throws(() => waHeader(1, `/${'x'.repeat(64)}`, 1), RangeError);
  });
});

describe('dataFrames', () => {
  test('1024-byte frames', () => {
    assert.deepEqual(dataFrames(3000), [1024, 2048, 3000]);
    assert.deepEqual(dataFrames(1024), [1024]);
    assert.deepEqual(dataFrames(1), [1]);
    assert.deepEqual(dataFrames(0), []);
  });

  test('a last frame of 512k+1 bytes goes as 512 and 1 (the board would lose its last byte)', () => {
    assert.deepEqual(dataFrames(1024 + 513), [1024, 1536, 1537]);
    assert.deepEqual(dataFrames(513), [512, 513]);
    const frames = dataFrames(10 * 1024 + 513);
    const lengths = frames.map((end, i) => end - (frames[i - 1] ?? 0));
    assert.ok(lengths.every((n) => !(n > 512 && n % 512 === 1)));
  });
});
