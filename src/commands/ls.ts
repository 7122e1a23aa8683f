// src/commands/ls.ts: `mpy ls [-l] [--json] [:path]`: list a board folder in one round trip.
import type { DirEntry } from '../board/types.js';
import { BoardError } from '../errors.js';
import { boardPath, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';

function byName(a: DirEntry, b: DirEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export const lsCommand: CommandSpec = {
  name: 'ls',
  args: '[path]',
  summary: 'list a folder on the board (default: the root)',
  configure(command) {
    command.option('-l, --long', 'show sizes').option('--json', 'print JSON (name, kind, size)');
  },
  async run(args, options, context) {
    const path = boardPath(args[0] ?? ':');
    const board = await context.board();
    const entries = await onBoardPath('ls', path, async () => {
      try {
        return await board.listDir(path);
      } catch (error) {
        // `ls :main.py` lists the one file, as ls does
        const stat = error instanceof BoardError && error.errno === 20 && (await board.stat(path));
        if (!stat) throw error;
        const entry: DirEntry = { name: path.slice(path.lastIndexOf('/') + 1), ...stat };
        return [entry];
      }
    });
    entries.sort(byName);
    if (options.json) {
      context.out(`${JSON.stringify(entries)}\n`);
      return;
    }
    for (const entry of entries) {
      const name = entry.kind === 'dir' ? `${entry.name}/` : entry.name;
      context.out(options.long ? `${String(entry.size).padStart(9)} ${name}\n` : `${name}\n`);
    }
  },
};
