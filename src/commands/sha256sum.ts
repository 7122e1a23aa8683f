// src/commands/sha256sum.ts: `mpy sha256sum :file...`: sha256 of board files (the bare digest,
// as mpremote prints it), computed on the board where it has hashlib, else on the computer.
import { sha256Hex } from '../board/digest.js';
import { boardArg, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';
import { addVerboseOptions, isVerbose } from './verbose.js';

export const sha256sumCommand: CommandSpec = {
  name: 'sha256sum',
  args: '<paths...>',
  summary: 'print the sha256 of files on the board',
  configure(command) {
    addVerboseOptions(command, 'print `sha256sum :path` before each digest (the default)');
  },
  async run(args, options, context) {
    const board = await context.board();
    for (const arg of args) {
      const { path, shown } = await boardArg(context, arg);
      if (isVerbose(options)) context.out(`sha256sum :${shown}\n`);
      const hash = await onBoardPath('sha256sum', shown, async () => {
        // the board's own digest is sha256 exactly when it is 64 hex digits long
        const digest = await board.digest(path);
        if (digest !== undefined && /^[0-9a-f]{64}$/.test(digest)) return digest;
        return sha256Hex(await board.readFile(path));
      });
      context.out(`${hash}\n`);
    }
  },
};
