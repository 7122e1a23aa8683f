// src/commands/touch.ts: `mpy touch :path...`: create empty files on the board (existing files
// are left as they are: boards keep no settable modification time).
import { boardArg, onBoardPath } from './board-path.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';

/** `mpy touch`; its arguments and options are in src/commands/index.ts. */
export const runTouch: CommandRun = async (args, options, context) => {
  const board = await context.board();
  for (const arg of args) {
    const { path, shown } = await boardArg(context, arg);
    if (isVerbose(options)) context.out(`touch :${shown}\n`);
    await onBoardPath('touch', shown, async () => {
      if (!(await board.stat(path))) await board.writeFile(path, new Uint8Array(0));
    });
  }
};
