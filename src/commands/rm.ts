// src/commands/rm.ts: `mpy rm [-r] :path...`: remove files (and folders with -r) on the board.
import { UsageError } from '../errors.js';
import { boardPath, onBoardPath, showBoard } from './board-path.js';
import type { CommandSpec } from './types.js';

export const rmCommand: CommandSpec = {
  name: 'rm',
  args: '<paths...>',
  summary: 'remove files from the board (-r: folders too)',
  configure(command) {
    command.option('-r, --recursive', 'remove folders and everything in them');
  },
  async run(args, options, context) {
    const board = await context.board();
    for (const arg of args) {
      const path = boardPath(arg);
      if (path === '/' && options.recursive) {
        throw new UsageError('rm: refusing to remove the whole board (:/)');
      }
      await onBoardPath('rm', path, async () => {
        if (options.recursive) return board.removeTree(path);
        if ((await board.stat(path))?.kind === 'dir') {
          throw new UsageError(`rm: ${showBoard(path)} is a folder (use -r)`);
        }
        return board.remove(path);
      });
    }
  },
};
