// src/commands/mkdir.ts: `mpy mkdir [-p] :path...`: make folders on the board.
import { boardArg, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';
import { addVerboseOptions, isVerbose } from './verbose.js';

export const mkdirCommand: CommandSpec = {
  name: 'mkdir',
  args: '<paths...>',
  summary: 'make folders on the board',
  configure(command) {
    command.option('-p, --parents', 'make parent folders too; no error if it exists');
    addVerboseOptions(command, 'print `mkdir :path` for each folder (the default)');
  },
  async run(args, options, context) {
    const board = await context.board();
    for (const arg of args) {
      const { path, shown } = await boardArg(context, arg);
      if (isVerbose(options)) context.out(`mkdir :${shown}\n`);
      await onBoardPath('mkdir', shown, () =>
        board.mkdir(path, { parents: options.parents === true }),
      );
    }
  },
};
