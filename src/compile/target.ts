// src/compile/target.ts: whether a board can load what mpy-cross writes, from the .mpy version
// it reports (`sys.implementation._mpy`: low byte the version, the native arch above it).
import type { MpyTarget } from '../board/types.js';
import { MpyError } from '../errors.js';
import { MPY_CROSS_VERSION } from './mpy-cross.js';

/** Throws one clear line when the board cannot load version-6 bytecode. */
export function checkMpyTarget(target: MpyTarget): void {
  const firmware = target.firmware ? `MicroPython ${target.firmware}` : 'its firmware';
  if (target.mpy === undefined) {
    throw new MpyError(
      `--mpy: this board (${firmware}) has no sys.implementation._mpy: it loads no .mpy files ` +
        `of version ${MPY_CROSS_VERSION} (MicroPython 1.19 and later), which mpy-cross makes`,
    );
  }
  const version = target.mpy & 0xff;
  if (version !== MPY_CROSS_VERSION) {
    throw new MpyError(
      `--mpy: this board (${firmware}) loads .mpy version ${version}; mpy-cross makes version ` +
        `${MPY_CROSS_VERSION}, for MicroPython 1.19 and later`,
    );
  }
}
