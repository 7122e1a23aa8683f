// src/commands/mkdir.ts: `mpy mkdir [-p] :path...`: make folders on the board.
import { boardPath, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';

export const mkdirCommand: CommandSpec = {
  name: 'mkdir',
  args: '<paths...>',
  summary: 'make folders on the board',
  configure(command) {
    command.option('-p, --parents', 'make parent folders too; no error if it exists');
  },
  async run(args, options, context) {
    const board = await context.board();
    for (const arg of args) {
      const path = boardPath(arg);
      await onBoardPath('mkdir', path, () =>
        board.mkdir(path, { parents: options.parents === true }),
      );
    }
  },
};
