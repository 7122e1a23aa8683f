// src/commands/mv.ts: `mpy mv :from :to`: rename or move on the board (into `:to` when it is a
// folder), in one board operation.
import { boardBasename, joinBoardPath } from '../board/paths.js';
import { UsageError } from '../errors.js';
import { boardPath, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';

export const mvCommand: CommandSpec = {
  name: 'mv',
  args: '<from> <to>',
  summary: 'rename or move a file or folder on the board',
  async run(args, _options, context) {
    if (args.length !== 2) throw new UsageError('mv: give one source and one destination');
    const from = boardPath(args[0]!);
    let to = boardPath(args[1]!);
    const board = await context.board();
    await onBoardPath('mv', from, async () => {
      if (!(await board.stat(from))) throw new UsageError(`mv: :${from}: no such file or folder`);
      if ((await board.stat(to))?.kind === 'dir') to = joinBoardPath(to, boardBasename(from));
      await board.rename(from, to);
    });
  },
};
