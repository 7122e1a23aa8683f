// src/mip/board-info.ts: ask the board where packages go (sys.path) and which .mpy files it runs
// (sys.implementation._mpy), with one small program from py/board_info.py.
import { MpyError, TransportError } from '../errors.js';
import { parsePythonLiteral } from '../repl/literal.js';
import { loadLayerPython } from '../repl/python.js';
import type { Repl } from '../repl/types.js';

/** What `mip install` needs to know about the board. */
export interface MipBoardInfo {
  sysPath: string[];
  /** The .mpy version (6 for MicroPython 1.19 and later), undefined when the board does not say. */
  mpyVersion: number | undefined;
}

function boardInfoSource(): string {
  return loadLayerPython(import.meta.url, 'mip', 'board_info.py');
}

/** sys.path and the .mpy version, in one round trip. */
export async function readBoardInfo(repl: Repl): Promise<MipBoardInfo> {
  const text = new TextDecoder().decode(await repl.exec(boardInfoSource())).trim();
  const value = parsePythonLiteral(text);
  if (
    !Array.isArray(value) ||
    !Array.isArray(value[0]) ||
    !value[0].every((p) => typeof p === 'string') ||
    typeof value[1] !== 'number'
  ) {
    throw new TransportError(`unexpected answer to the mip board probe: ${text}`);
  }
  return { sysPath: value[0] as string[], mpyVersion: value[1] === 0 ? undefined : value[1] };
}

/**
 * mpremote's default target: the first sys.path entry ending in `/lib`, leaving out ROMFS
 * (`/rom…`, read-only). Without one a package installed anywhere would not import: refused with
 * mpremote's words, asking for --target. A board without folders (micro:bit) imports from `/`
 * only, so there it is `/`.
 */
export function defaultTarget(sysPath: string[], hasFolders: boolean): string {
  if (!hasFolders) return '/';
  const lib = sysPath.find((p) => !p.startsWith('/rom') && p.endsWith('/lib'));
  if (lib === undefined) {
    throw new MpyError('Unable to find lib dir in sys.path, use --target to override');
  }
  return lib;
}
