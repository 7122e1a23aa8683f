// src/commands/df.ts: `mpy df [:path]`: size, used and free space of the board's filesystem.
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
    // old firmware (micro:bit) has no os.statvfs: only the bytes in files are known
    const usage = await onBoardPath('df', path, () => board.usage(path));
    if (options.json) {
      context.out(`${JSON.stringify(usage)}\n`);
      return;
    }
    const { totalBytes: total, freeBytes: free } = usage;
    const used = total !== undefined && free !== undefined ? total - free : usage.usedBytes;
    const known = (n: number | undefined) => (n === undefined ? '-' : n);
    const percent = total && used !== undefined ? `${Math.round((used / total) * 100)}%` : '-';
    const row = (cells: (string | number)[]) =>
      cells.map((c, i) => (i === 4 ? String(c) : String(c).padStart(10))).join(' ');
    context.out(`${row(['Size', 'Used', 'Avail', 'Use%', 'Mounted on'])}\n`);
    context.out(`${row([known(total), known(used), known(free), percent, path])}\n`);
  },
};
