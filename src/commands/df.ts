// src/commands/df.ts: `mpy df [:path]`: size, used and free space of the board's filesystem.
import { BoardError, MpyError } from '../errors.js';
import { boardPath, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';

export const dfCommand: CommandSpec = {
  name: 'df',
  args: '[path]',
  summary: "show the board's filesystem size and free space",
  configure(command) {
    command.option('--json', 'print JSON (blockSize, totalBytes, freeBytes)');
  },
  async run(args, options, context) {
    const path = boardPath(args[0] ?? ':');
    const board = await context.board();
    const usage = await onBoardPath('df', path, () => board.usage(path)).catch((error) => {
      // old firmware (micro:bit) has no os.statvfs
      if (error instanceof BoardError && error.type === 'AttributeError') {
        throw new MpyError('df: this board cannot tell its free space (no os.statvfs)');
      }
      throw error;
    });
    if (options.json) {
      context.out(`${JSON.stringify(usage)}\n`);
      return;
    }
    const used = usage.totalBytes - usage.freeBytes;
    const percent = usage.totalBytes ? Math.round((used / usage.totalBytes) * 100) : 0;
    const row = (cells: (string | number)[]) =>
      cells.map((c, i) => (i === 4 ? String(c) : String(c).padStart(10))).join(' ');
    context.out(`${row(['Size', 'Used', 'Avail', 'Use%', 'Mounted on'])}\n`);
    context.out(`${row([usage.totalBytes, used, usage.freeBytes, `${percent}%`, path])}\n`);
  },
};
