// src/commands/ls.ts: `mpy ls [--json] [:path...]`: list board folders, each in one round trip,
// as mpremote does: `ls :path`, then `SIZE name` lines (folders end in `/`) in the board's order.
import type { BoardFs, DirEntry } from '../board/types.js';
import { boardArg, onBoardPath } from './board-path.js';
import { boardErrno } from './errno-text.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';

function byName(a: DirEntry, b: DirEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The entries of a folder; `ls :main.py` lists the one file, as ls does. */
async function entriesOf(board: BoardFs, path: string): Promise<DirEntry[]> {
  try {
    return await board.listDir(path);
  } catch (error) {
    const stat = boardErrno(error) === 20 && (await board.stat(path));
    if (!stat) throw error;
    return [{ name: path.slice(path.lastIndexOf('/') + 1), ...stat }];
  }
}

/** mpremote's row: the size right-aligned in 12 columns, then the name. */
export function lsRow(entry: DirEntry): string {
  return `${String(entry.size).padStart(12)} ${entry.name}${entry.kind === 'dir' ? '/' : ''}\n`;
}

/** `mpy ls`; its arguments and options are in src/commands/index.ts. */
export const runLs: CommandRun = async (args, options, context) => {
  const board = await context.board();
  for (const arg of args.length > 0 ? args : [':']) {
    const { path, shown } = await boardArg(context, arg);
    if (!options.json && isVerbose(options)) context.out(`ls :${shown}\n`);
    const entries = await onBoardPath('ls', shown, () => entriesOf(board, path));
    if (options.json) context.out(`${JSON.stringify(entries.sort(byName))}\n`);
    else context.out(entries.map(lsRow).join(''));
  }
};
