// src/commands/sha256sum.ts: `mpy sha256sum :file...`: sha256 of board files, computed on the
// board where it has hashlib, else on the computer after a download.
import { sha256Hex } from '../board/digest.js';
import { boardPath, onBoardPath, showBoard } from './board-path.js';
import type { CommandSpec } from './types.js';

export const sha256sumCommand: CommandSpec = {
  name: 'sha256sum',
  args: '<paths...>',
  summary: 'print the sha256 of files on the board',
  async run(args, _options, context) {
    const board = await context.board();
    for (const arg of args) {
      const path = boardPath(arg);
      const hash = await onBoardPath('sha256sum', path, async () => {
        // the board's own digest is sha256 exactly when it is 64 hex digits long
        const digest = await board.digest(path);
        if (digest === undefined) return board.readFile(path).then(sha256Hex);
        if (/^[0-9a-f]{64}$/.test(digest)) return digest;
        return sha256Hex(await board.readFile(path));
      });
      context.out(`${hash}  ${showBoard(path)}\n`);
    }
  },
};
