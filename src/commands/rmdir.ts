// src/commands/rmdir.ts: `mpy rmdir :path...`: remove empty folders on the board.
import { boardArg, onBoardPath } from './board-path.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';

/** `mpy rmdir`; its arguments and options are in src/commands/index.ts. */
export const runRmdir: CommandRun = async (args, options, context) => {
  const board = await context.board();
  for (const arg of args) {
    const { path, shown } = await boardArg(context, arg);
    if (isVerbose(options)) context.out(`rmdir :${shown}\n`);
    await onBoardPath('rmdir', shown, () => board.rmdir(path));
  }
};
