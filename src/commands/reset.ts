// src/commands/reset.ts: `mpy reset [--hard]`: soft reset (globals cleared, files kept), or a
// hard reset of the chip followed by a reconnect.
import { hardResetBoard } from './context.js';
import type { CommandSpec } from './types.js';

export const resetCommand: CommandSpec = {
  name: 'reset',
  args: '',
  summary: 'soft-reset the board (--hard: machine.reset() and reconnect)',
  configure(command) {
    command.option('--hard', 'reset the chip, as the reset button does, then reconnect');
  },
  async run(_args, options, context) {
    if (options.hard === true) await hardResetBoard(context);
    else await (await context.repl()).softReset();
    // a reset board starts again in its default folder
    context.forgetBoardFolder();
  },
};
