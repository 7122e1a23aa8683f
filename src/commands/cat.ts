// src/commands/cat.ts: `mpy cat :file...`: print board files to stdout, bytes as they are.
import { MpyError } from '../errors.js';
import { boardArg, onBoardPath } from './board-path.js';
import { errnoText } from './errno-text.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';

const EISDIR = 21;

/** `mpy cat`; its arguments and options are in src/commands/index.ts. */
export const runCat: CommandRun = async (args, options, context) => {
  const board = await context.board();
  for (const arg of args) {
    const { path, shown } = await boardArg(context, arg);
    if (isVerbose(options, true)) context.out(`cat :${shown}\n`);
    // no stat first: the board's own error for open() (EISDIR, ENOENT, …) is the answer
    const data = await onBoardPath('cat', shown, () => board.readFile(path));
    // …except on ports whose open() takes a folder and reads nothing (the WebAssembly one)
    if (data.length === 0 && (await board.stat(path))?.kind === 'dir') {
      throw new MpyError(`cat: ${shown}: ${errnoText(EISDIR)}.`);
    }
    context.out(data);
  }
};
