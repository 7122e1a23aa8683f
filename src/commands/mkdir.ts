// src/commands/mkdir.ts: `mpy mkdir [-p] :path...`: make folders on the board.
import { boardArg, onBoardPath } from './board-path.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';

/** `mpy mkdir`; its arguments and options are in src/commands/index.ts. */
export const runMkdir: CommandRun = async (args, options, context) => {
  const board = await context.board();
  for (const arg of args) {
    const { path, shown } = await boardArg(context, arg);
    if (isVerbose(options)) context.out(`mkdir :${shown}\n`);
    await onBoardPath('mkdir', shown, () =>
      board.mkdir(path, { parents: options.parents === true }),
    );
  }
};
