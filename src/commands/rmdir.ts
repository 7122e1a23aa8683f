// src/commands/rmdir.ts: `mpy rmdir :path...`: remove empty folders on the board.
import { boardArg, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';
import { addVerboseOptions, isVerbose } from './verbose.js';

export const rmdirCommand: CommandSpec = {
  name: 'rmdir',
  args: '<paths...>',
  summary: 'remove empty folders from the board',
  configure(command) {
    addVerboseOptions(command, 'print `rmdir :path` for each folder (the default)');
  },
  async run(args, options, context) {
    const board = await context.board();
    for (const arg of args) {
      const { path, shown } = await boardArg(context, arg);
      if (isVerbose(options)) context.out(`rmdir :${shown}\n`);
      await onBoardPath('rmdir', shown, () => board.rmdir(path));
    }
  },
};
