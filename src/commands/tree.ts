// src/commands/tree.ts: `mpy tree [-s|-h] [:path...]`: the board's folders and files as an
// indented tree, as mpremote draws it (names sorted, sizes with -s or -h/--human).
import { joinBoardPath } from '../board/paths.js';
import type { BoardFs, DirEntry } from '../board/types.js';
import { FsArgumentError, MpyError } from '../errors.js';
import { boardArg, onBoardPath } from './board-path.js';
import { sessionOf } from './context.js';
import { isVerbose } from './options.js';
import type { CommandRun } from './types.js';

type SizeStyle = 'none' | 'bytes' | 'human';

/** Python's `f"{x:.1f}"`: round half to even, as `toFixed` does not. */
function oneDecimal(x: number): string {
  const scaled = x * 10;
  const floor = Math.floor(scaled);
  const tie = scaled - floor === 0.5;
  return ((tie ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(scaled)) / 10).toFixed(1);
}

/** mpremote's `human_size`: `20`, `1.1K`, `2.0M`. */
export function humanSize(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return unit === 0 ? String(Math.trunc(size)) : `${oneDecimal(size)}${units[unit]}`;
}

function sizeLabel(entry: DirEntry, style: SizeStyle): string {
  // most filesystems give folders no size: leave it out there
  if (style === 'none' || (entry.kind === 'dir' && entry.size === 0)) return '';
  if (style === 'bytes') return `[${String(entry.size).padStart(9)}]  `;
  return `[${humanSize(entry.size).padStart(6)}]  `;
}

async function treeLines(
  board: BoardFs,
  path: string,
  indent: string,
  style: SizeStyle,
): Promise<string[]> {
  const entries = await board.listDir(path);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const last = i === entries.length - 1;
    lines.push(`${indent}${last ? '└── ' : '├── '}${sizeLabel(entry, style)}${entry.name}`);
    if (entry.kind === 'dir') {
      const below = joinBoardPath(path, entry.name);
      lines.push(...(await treeLines(board, below, `${indent}${last ? '    ' : '│   '}`, style)));
    }
  }
  return lines;
}

/** `mpy tree`; its arguments and options are in src/commands/index.ts. */
export const runTree: CommandRun = async (args, options, context) => {
  if (options.size && options.human) {
    throw new FsArgumentError('argument --human/-h: not allowed with argument --size/-s');
  }
  const style: SizeStyle = options.size ? 'bytes' : options.human ? 'human' : 'none';
  const board = await context.board();
  for (const arg of args.length > 0 ? args : [':']) {
    const { path, shown } = await boardArg(context, arg);
    if (isVerbose(options)) context.out(`tree :${shown}\n`);
    // the current folder is shown by its absolute name, any other path as given
    const title = shown === '' || shown === '.' ? path : shown;
    if ((await onBoardPath('tree', shown, () => board.stat(path)))?.kind !== 'dir') {
      throw new MpyError(`tree: '${shown}' is not a directory`);
    }
    const device = options.verbose === true ? ` on ${(await sessionOf(context)).description}` : '';
    const lines = await onBoardPath('tree', shown, () => treeLines(board, path, '', style));
    context.out(`:${title}${device}\n${lines.map((l) => `${l}\n`).join('')}`);
  }
};
