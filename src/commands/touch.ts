// src/commands/touch.ts: `mpy touch :path...`: create empty files on the board (existing files
// are left as they are: boards keep no settable modification time).
import { boardPath, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';

export const touchCommand: CommandSpec = {
  name: 'touch',
  args: '<paths...>',
  summary: 'create empty files on the board',
  async run(args, _options, context) {
    const board = await context.board();
    for (const arg of args) {
      const path = boardPath(arg);
      await onBoardPath('touch', path, async () => {
        if (!(await board.stat(path))) await board.writeFile(path, new Uint8Array(0));
      });
    }
  },
};
