// src/commands/cat.ts: `mpy cat :file...`: print board files to stdout, bytes as they are.
import { UsageError } from '../errors.js';
import { boardPath, onBoardPath, showBoard } from './board-path.js';
import type { CommandSpec } from './types.js';

export const catCommand: CommandSpec = {
  name: 'cat',
  args: '<paths...>',
  summary: 'print files from the board',
  async run(args, _options, context) {
    const board = await context.board();
    for (const arg of args) {
      const path = boardPath(arg);
      const data = await onBoardPath('cat', path, async () => {
        if ((await board.stat(path))?.kind === 'dir') {
          throw new UsageError(`cat: ${showBoard(path)} is a folder, not a file`);
        }
        return board.readFile(path);
      });
      context.out(data);
    }
  },
};
