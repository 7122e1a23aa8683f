// src/commands/tree.ts: `mpy tree [:path]`: the board's folders and files as an indented tree.

import { joinBoardPath } from '../board/paths.js';
import type { BoardFs } from '../board/types.js';
import { boardPath, onBoardPath } from './board-path.js';
import type { CommandSpec } from './types.js';

async function treeLines(board: BoardFs, path: string, indent: string): Promise<string[]> {
  const entries = await board.listDir(path);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const last = i === entries.length - 1;
    const name = entry.kind === 'dir' ? `${entry.name}/` : entry.name;
    lines.push(`${indent}${last ? '└── ' : '├── '}${name}`);
    if (entry.kind === 'dir') {
      const below = await treeLines(
        board,
        joinBoardPath(path, entry.name),
        `${indent}${last ? '    ' : '│   '}`,
      );
      lines.push(...below);
    }
  }
  return lines;
}

export const treeCommand: CommandSpec = {
  name: 'tree',
  args: '[path]',
  summary: 'show the folders and files on the board as a tree',
  async run(args, _options, context) {
    const path = boardPath(args[0] ?? ':');
    const board = await context.board();
    const lines = await onBoardPath('tree', path, () => treeLines(board, path, ''));
    context.out(`:${path}\n${lines.map((l) => `${l}\n`).join('')}`);
  },
};
