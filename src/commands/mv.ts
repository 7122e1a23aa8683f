// src/commands/mv.ts: `mpy mv :from :to`: rename or move on the board (into `:to` when it is a
// folder), in one board operation.
import { boardBasename, joinBoardPath } from '../board/paths.js';
import { MpyError, UsageError } from '../errors.js';
import { boardArg, onBoardPath } from './board-path.js';
import type { CommandRun } from './types.js';

/** `mpy mv`; its arguments and options are in src/commands/index.ts. */
export const runMv: CommandRun = async (args, _options, context) => {
  if (args.length !== 2) throw new UsageError('mv: give one source and one destination');
  const from = await boardArg(context, args[0]!);
  const to = await boardArg(context, args[1]!);
  const board = await context.board();
  await onBoardPath('mv', from.shown, async () => {
    if (!(await board.stat(from.path))) {
      throw new MpyError(`mv: ${from.shown}: No such file or directory.`);
    }
    const into = (await board.stat(to.path))?.kind === 'dir';
    await board.rename(
      from.path,
      into ? joinBoardPath(to.path, boardBasename(from.path)) : to.path,
    );
  });
};
