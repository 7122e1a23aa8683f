// src/commands/rmdir.ts: `mpy rmdir :path...`: remove empty folders on the board.
import { boardPath, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';

export const rmdirCommand: CommandSpec = {
  name: 'rmdir',
  args: '<paths...>',
  summary: 'remove empty folders from the board',
  async run(args, _options, context) {
    const board = await context.board();
    for (const arg of args) {
      const path = boardPath(arg);
      await onBoardPath('rmdir', path, () => board.rmdir(path));
    }
  },
};
