// src/commands/board-path.ts: mpremote's `:` convention (`:main.py` is on the board, `main.py`
// is local) and one-line messages for the board errors users hit most.

import { normalizeBoardPath } from '../board/paths.js';
import { BoardError, MpyError, UsageError } from '../errors.js';

/** True for `:x`, the board side of `cp`. */
export function isBoardArg(arg: string): boolean {
  return arg.startsWith(':');
}

/** The absolute board path of `:x`, `x`, `:`, `:/lib/` (relative names start at `/`). */
export function boardPath(arg: string): string {
  return normalizeBoardPath(isBoardArg(arg) ? arg.slice(1) : arg);
}

/** True when the argument names a folder by its form: `:`, `:lib/`, `dir/`. */
export function endsLikeFolder(arg: string): boolean {
  return arg === ':' || arg.endsWith('/');
}

/** How a board path is shown to the user: `:/lib/x.py`. */
export function showBoard(path: string): string {
  return `:${path}`;
}

const ERRNO_TEXT: Record<number, string> = {
  1: 'not permitted',
  2: 'no such file or folder',
  13: 'permission denied',
  17: 'already exists',
  20: 'not a folder',
  21: 'is a folder',
  28: 'no space left on the board',
  39: 'folder not empty',
  95: 'not supported on this board',
};

/**
 * Rewrite a `BoardError` with a known errno as `command: :path: what` (exit code 1); anything
 * else is rethrown as it is.
 */
export function explainBoardError(command: string, path: string, error: unknown): never {
  if (error instanceof BoardError && error.errno !== undefined && ERRNO_TEXT[error.errno]) {
    throw new MpyError(`${command}: ${showBoard(path)}: ${ERRNO_TEXT[error.errno]}`, {
      cause: error,
    });
  }
  throw error;
}

/** Run `action`, explaining a board error about `path`. */
export async function onBoardPath<T>(
  command: string,
  path: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    explainBoardError(command, path, error);
  }
}

/** Throw `UsageError` unless at least `min` arguments were given. */
export function needArgs(command: string, args: string[], min: number, what: string): void {
  if (args.length < min) throw new UsageError(`${command}: ${what}`);
}
