// src/commands/df.ts: `mpy df [:path]`: size, used and free space, as mpremote's `df` prints
// it: a row for the current folder's filesystem, then one for each folder at the root.
import type { BoardFs, FsUsage } from '../board/types.js';
import { boardArg, explainBoardError, onBoardPath } from './board-path.js';
import type { CommandRun } from './types.js';

/** One row; a board without os.statvfs (micro:bit) knows only the bytes in its files. */
function row(mount: string, usage: FsUsage): string {
  const { totalBytes: total, freeBytes: free } = usage;
  const used = total !== undefined && free !== undefined ? total - free : usage.usedBytes;
  const percent = total && used !== undefined ? Math.trunc((100 * used) / total) : '-';
  const cells = [mount, total ?? '-', used ?? '-', free ?? '-', percent];
  return `${cells.join('\t')}\n`;
}

async function usageOf(board: BoardFs, path: string, shown: string): Promise<FsUsage> {
  try {
    return await board.usage(path);
  } catch (error) {
    explainBoardError('df', shown, error);
  }
}

/** `mpy df`; its arguments and options are in src/commands/index.ts. */
export const runDf: CommandRun = async (args, options, context) => {
  const board = await context.board();
  const { path, shown } = await boardArg(context, args[0] ?? ':');
  const first = await usageOf(board, path, shown);
  if (options.json) {
    context.out(`${JSON.stringify(first)}\n`);
    return;
  }
  context.out('mount \tsize \tused \tavail \tuse%\n');
  if (first.blockSize || first.usedBytes !== undefined) context.out(row(shown, first));
  if (args.length > 0) return;
  // mpremote lists every folder at the root with its filesystem (a mount point or not)
  for (const entry of await onBoardPath('df', '/', () => board.listDir('/'))) {
    if (entry.kind !== 'dir') continue;
    const usage = await usageOf(board, `/${entry.name}`, entry.name);
    if (usage.blockSize) context.out(row(entry.name, usage));
  }
};
