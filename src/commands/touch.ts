// src/commands/touch.ts: `mpy touch :path...`: create empty files on the board (existing files
// are left as they are: boards keep no settable modification time).
import { boardArg, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';
import { addVerboseOptions, isVerbose } from './verbose.js';

export const touchCommand: CommandSpec = {
  name: 'touch',
  args: '<paths...>',
  summary: 'create empty files on the board',
  configure(command) {
    addVerboseOptions(command, 'print `touch :path` for each file (the default)');
  },
  async run(args, options, context) {
    const board = await context.board();
    for (const arg of args) {
      const { path, shown } = await boardArg(context, arg);
      if (isVerbose(options)) context.out(`touch :${shown}\n`);
      await onBoardPath('touch', shown, async () => {
        if (!(await board.stat(path))) await board.writeFile(path, new Uint8Array(0));
      });
    }
  },
};
