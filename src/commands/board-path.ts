// src/commands/board-path.ts: mpremote's path rules (`:main.py` is on the board, `main.py` is
// local; a relative board path starts at the board's current folder, `:` is that folder) and
// file errors worded as mpremote words them.
import { normalizeBoardPath, relativeBoardPath } from '../board/paths.js';
import { BoardError, MpyError, UsageError } from '../errors.js';
import { boardErrno, errnoText } from './errno-text.js';
import { inRemoteFolder, REMOTE_MOUNT_POINT, servedFolders } from './remote-folder.js';
import type { CommandContext } from './types.js';

/** True for `:x`, the board side of `cp`. */
export function isBoardArg(arg: string): boolean {
  return arg.startsWith(':');
}

/** `x` for `:x`; other arguments as they are (file commands take board paths without `:`). */
export function withoutColon(arg: string): string {
  return isBoardArg(arg) ? arg.slice(1) : arg;
}

/** The absolute board path of `:x` or `x` for a board whose current folder is `folder`:
 * absolute paths stay, relative ones (and `:` alone) start at `folder`. */
export function resolveBoardPath(arg: string, folder: string): string {
  const path = withoutColon(arg);
  return normalizeBoardPath(path.startsWith('/') ? path : `${folder}/${path}`);
}

/** A board path argument: as the user typed it (what messages show) and where it is. */
export interface BoardArg {
  /** The argument without its `:`, e.g. `lib/x.py`, `` for `:`. */
  shown: string;
  /** Board path: absolute (`/flash/lib/x.py`) when given so, else relative to the board's own
   * folder (`lib/x.py`, `.` for `:`), which the board resolves. */
  path: string;
}

/** Where `arg` is: absolute as it is, relative for the board to resolve against its folder. */
export async function boardArg(context: CommandContext, arg: string): Promise<BoardArg> {
  const resolved = await resolveBoardArg(context, arg);
  // the board's file commands move bytes over the link the mounted folder is served on
  const folder = servedFolders.get(context);
  if (folder && inRemoteFolder(resolved.path)) {
    throw new MpyError(
      `:${resolved.path} is in this computer's folder ${folder.root}, mounted at ` +
        `${REMOTE_MOUNT_POINT}: work on its files here, not through the board`,
    );
  }
  return resolved;
}

async function resolveBoardArg(context: CommandContext, arg: string): Promise<BoardArg> {
  const shown = withoutColon(arg);
  // absolute paths need no round trip to the board
  if (shown.startsWith('/')) return { shown, path: resolveBoardPath(shown, '/') };
  // Relative paths go as they are and the board resolves them against its own folder, as
  // mpremote lets it: asking the folder first would cost an exec. Only a mounted computer
  // folder (which must not be reached through the board) needs to know where they land.
  if (!servedFolders.has(context)) return { shown, path: relativeBoardPath(shown) };
  const folder = await context.boardFolder().catch((error: unknown) => {
    // a filesystem without getcwd (a stub VFS): the board resolves the path itself
    if (!(error instanceof BoardError)) throw error;
    return undefined;
  });
  if (folder === undefined) return { shown, path: relativeBoardPath(shown) };
  return { shown, path: resolveBoardPath(shown, folder) };
}

/** True when the argument names a folder by its form: `:`, `:lib/`, `dir/`. */
export function endsLikeFolder(arg: string): boolean {
  return arg === ':' || arg.endsWith('/');
}

/** How a board path is shown to the user: `:/lib/x.py`. */
export function showBoard(path: string): string {
  return `:${path}`;
}

/** mpremote's `_remote_path_join`, for the paths its messages show: `` + `x` is `./x`. */
export function joinShown(folder: string, ...names: string[]): string {
  let joined = (folder || './').replace(/\/+$/, '');
  for (const name of names) joined += `/${name.replace(/^\/+|\/+$/g, '')}`;
  return joined;
}

/**
 * Rewrite a board error met while `command` worked on `shown` as mpremote reports it: an
 * OSError as `command: shown: <strerror>.`, any other board exception as `Error with
 * transport:` and its traceback. Anything else (a lost link, a usage error) is rethrown.
 */
export function explainBoardError(command: string, shown: string, error: unknown): never {
  const errno = boardErrno(error);
  const text = errno === undefined ? undefined : errnoText(errno);
  if (text) {
    const detail = error instanceof BoardError && error.detail ? `: ${error.detail}` : '';
    throw new MpyError(`${command}: ${shown}: ${text}${detail}.`, { cause: error });
  }
  if (error instanceof BoardError) {
    const traceback = (error.traceback || error.message).replace(/\r\n/g, '\n').trimEnd();
    throw new MpyError(`Error with transport:\n${traceback}`, { cause: error });
  }
  throw error;
}

/** Run `action`, explaining a board error about `shown` (see `explainBoardError`). */
export async function onBoardPath<T>(
  command: string,
  shown: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    explainBoardError(command, shown, error);
  }
}

/** Throw `UsageError` unless at least `min` arguments were given. */
export function needArgs(command: string, args: string[], min: number, what: string): void {
  if (args.length < min) throw new UsageError(`${command}: ${what}`);
}
