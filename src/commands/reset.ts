// src/commands/reset.ts: `mpy reset [--hard]`: soft reset (globals cleared, files kept), or a
// hard reset of the chip followed by a reconnect.
import { hardResetBoard } from './context.js';
import type { CommandRun } from './types.js';

/** `mpy reset`; its arguments and options are in src/commands/index.ts. */
export const runReset: CommandRun = async (_args, options, context) => {
  if (options.hard === true) await hardResetBoard(context);
  else await (await context.repl()).softReset();
  // a reset board starts again in its default folder
  context.forgetBoardFolder();
};
