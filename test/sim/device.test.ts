// test/sim/device.test.ts: device strings that name the virtual board.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { parseSimDevice } from '../../src/sim/index.js';

describe('parseSimDevice', () => {
  const env = { XDG_CACHE_HOME: '/cache' };

  it('ignores devices that are not the sim', () => {
    assert.equal(parseSimDevice('/dev/ttyACM0', env), undefined);
    assert.equal(parseSimDevice('simulator', env), undefined);
    assert.equal(parseSimDevice('socket://127.0.0.1:2217', env), undefined);
  });

  it('keeps plain `sim` in the per-user cache folder', () => {
    assert.deepEqual(parseSimDevice('sim', env), { flashDir: join('/cache', 'mpy', 'sim') });
  });

  it('reads a folder and options', () => {
    assert.deepEqual(parseSimDevice('sim:/tmp/f?profile=legacy&baud=115200', env), {
      flashDir: '/tmp/f',
      profile: 'legacy',
      baud: 115200,
    });
  });

  it('rejects unknown options and bad values', () => {
    assert.throws(() => parseSimDevice('sim:x?speed=1', env), UsageError);
    assert.throws(() => parseSimDevice('sim:x?profile=old', env), UsageError);
    assert.throws(() => parseSimDevice('sim:x?baud=fast', env), UsageError);
  });
});
