// src/commands/sha256sum.ts: `mpy sha256sum :file...`: sha256 of board files (the bare digest,
// as mpremote prints it), computed on the board where it has hashlib, else on the computer.
import { sha256Hex } from '../board/digest.js';
import { boardArg, onBoardPath } from './board-path.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';

/** `mpy sha256sum`; its arguments and options are in src/commands/index.ts. */
export const runSha256sum: CommandRun = async (args, options, context) => {
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
};
