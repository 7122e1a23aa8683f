// src/commands/rm.ts: `mpy rm [-r] [-v] :path...`: remove files (and folders with -r) on the
// board. `-r` walks as mpremote's does: files first, then each folder; a filesystem mounted
// there (EINVAL from rmdir) is emptied and skipped; `-v` names every removal.
import { joinBoardPath } from '../board/paths.js';
import type { BoardFs } from '../board/types.js';
import { MpyError } from '../errors.js';
import { boardArg, joinShown, onBoardPath } from './board-path.js';
import { boardErrno, errnoText } from './errno-text.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';

/** EINVAL: what `os.rmdir` of a mount point answers. */
const EINVAL = 22;

interface Removal {
  board: BoardFs;
  /** Name every file and folder removed (`-v` given). */
  tell?: (line: string) => void;
}

async function removeTree(
  removal: Removal,
  path: string,
  shown: string,
  kind?: 'file' | 'dir',
): Promise<void> {
  const { board, tell } = removal;
  const isFolder = (kind ?? (await board.stat(path))?.kind) === 'dir';
  if (!isFolder) {
    await onBoardPath('rm', shown, () => board.remove(path));
    tell?.(`removed: '${shown}'\n`);
    return;
  }
  const entries = await onBoardPath('rm', shown, () => board.listDir(path));
  for (const entry of entries) {
    await removeTree(
      removal,
      joinBoardPath(path, entry.name),
      joinShown(shown, entry.name),
      entry.kind,
    );
  }
  // `rm -r :` empties the current folder and keeps it
  if (!shown) return;
  try {
    await board.rmdir(path);
    tell?.(`removed directory: '${shown}'\n`);
  } catch (error) {
    const errno = boardErrno(error);
    if (errno === undefined) throw error;
    if (errno !== EINVAL) {
      throw new MpyError(`rm -r: cannot remove :${shown} ${errnoText(errno) ?? ''}`, {
        cause: error,
      });
    }
    tell?.(`skipped: '${shown}' (vfs mountpoint)\n`);
  }
}

/** `mpy rm`; its arguments and options are in src/commands/index.ts. */
export const runRm: CommandRun = async (args, options, context) => {
  const board = await context.board();
  const removal: Removal = {
    board,
    ...(options.verbose === true ? { tell: (line: string) => context.out(line) } : {}),
  };
  for (const arg of args) {
    const { path, shown } = await boardArg(context, arg);
    if (isVerbose(options)) context.out(`rm :${shown}\n`);
    if (options.recursive === true) await removeTree(removal, path, shown);
    else await onBoardPath('rm', shown, () => board.remove(path));
  }
};
