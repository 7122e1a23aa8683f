// src/commands/df.ts: `mpy df [:path]`: size, used and free space, as mpremote's `df` prints
// it: a row for the current folder's filesystem, then one for each folder at the root.
import type { BoardFs, FsUsage } from '../board/types.js';
import { BoardError, MpyError } from '../errors.js';
import { boardArg, explainBoardError, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';

function row(mount: string, usage: FsUsage): string {
  const used = usage.totalBytes - usage.freeBytes;
  const percent = usage.totalBytes ? Math.trunc((100 * used) / usage.totalBytes) : 0;
  return `${[mount, usage.totalBytes, used, usage.freeBytes, percent].join('\t')}\n`;
}

async function usageOf(board: BoardFs, path: string, shown: string): Promise<FsUsage> {
  try {
    return await board.usage(path);
  } catch (error) {
    // old firmware (micro:bit) has no os.statvfs
    if (error instanceof BoardError && error.type === 'AttributeError') {
      throw new MpyError('df: this board cannot tell its free space (no os.statvfs)');
    }
    explainBoardError('df', shown, error);
  }
}

export const dfCommand: CommandSpec = {
  name: 'df',
  args: '[path]',
  summary: "show the board's filesystem sizes and free space",
  configure(command) {
    command.option('--json', 'print JSON (blockSize, totalBytes, freeBytes) of one filesystem');
  },
  async run(args, options, context) {
    const board = await context.board();
    const { path, shown } = await boardArg(context, args[0] ?? ':');
    const first = await usageOf(board, path, shown);
    if (options.json) {
      context.out(`${JSON.stringify(first)}\n`);
      return;
    }
    context.out('mount \tsize \tused \tavail \tuse%\n');
    if (first.blockSize) context.out(row(shown, first));
    if (args.length > 0) return;
    // mpremote lists every folder at the root with its filesystem (a mount point or not)
    for (const entry of await onBoardPath('df', '/', () => board.listDir('/'))) {
      if (entry.kind !== 'dir') continue;
      const usage = await usageOf(board, `/${entry.name}`, entry.name);
      if (usage.blockSize) context.out(row(entry.name, usage));
    }
  },
};
