// src/commands/cp.ts: `mpy cp [-r] [-f] SRC... DEST`: copy files and folders between the computer
// and the board (`:` marks board paths); files the destination already holds are skipped.
import { resolve } from 'node:path';
import { MpyError, UsageError } from '../errors.js';
import { boardPath, endsLikeFolder, isBoardArg, onBoardPath } from './board-path.js';
import { BoardSide, type CopySide, LocalSide } from './copy-sides.js';
import { startProgress } from './progress.js';
import type { CommandContext, CommandSpec } from './types.js';

interface Endpoint {
  side: CopySide;
  path: string;
  arg: string;
}

interface CopyRun {
  context: CommandContext;
  force: boolean;
  copied: number;
  skipped: number;
}

async function copyFile(run: CopyRun, from: Endpoint, to: Endpoint): Promise<void> {
  // Ctrl-C stops between files: a file's transfer always finishes, so the board is left usable
  if (run.context.signal.aborted) throw new MpyError('cp: interrupted');
  const label = `${from.side.show(from.path)} -> ${to.side.show(to.path)}`;
  const progress = startProgress(run.context, label);
  try {
    const data = await from.side.read(from.path, progress.update);
    if (!run.force && (await to.side.holds(to.path, data))) {
      run.skipped++;
      if (run.context.isTTY) run.context.out(`${label}: unchanged\n`);
      return;
    }
    await to.side.write(to.path, data, progress.update);
    run.copied++;
    progress.end();
    if (run.context.isTTY) run.context.out(`${label} (${data.length} bytes)\n`);
  } finally {
    progress.end();
  }
}

async function copyTree(run: CopyRun, from: Endpoint, to: Endpoint): Promise<void> {
  const { folders, files } = await from.side.walk(from.path);
  if (!run.force) await to.side.prefetch(to.path);
  // making the deepest folders with their parents makes all of them, in fewer round trips
  const leaves = folders.filter((f) => !folders.some((g) => g.startsWith(`${f}/`)));
  if (leaves.length === 0) await to.side.makeFolders(to.path);
  for (const folder of leaves) await to.side.makeFolders(to.side.join(to.path, folder));
  for (const file of files) {
    const source = { ...from, path: from.side.join(from.path, file) };
    await copyFile(run, source, { ...to, path: to.side.join(to.path, file) });
  }
}

function endpoint(arg: string, board: BoardSide | undefined): Endpoint {
  if (isBoardArg(arg)) return { side: board!, path: boardPath(arg), arg };
  return { side: new LocalSide(), path: resolve(arg), arg };
}

async function copyOne(run: CopyRun, from: Endpoint, dest: Endpoint, recursive: boolean) {
  const show = from.side.show(from.path);
  const kind = await from.side.kind(from.path);
  if (kind === undefined) throw new UsageError(`cp: ${show}: no such file or folder`);
  const destKind = await dest.side.kind(dest.path);
  const name = from.side.basename(from.path);
  const into = destKind === 'dir' || endsLikeFolder(dest.arg);
  if (into && destKind === undefined) {
    throw new UsageError(`cp: ${dest.side.show(dest.path)}: no such folder`);
  }
  if (into && destKind === 'file') {
    throw new UsageError(`cp: ${dest.side.show(dest.path)} is a file, not a folder`);
  }
  const target = { ...dest, path: into && name ? dest.side.join(dest.path, name) : dest.path };
  if (kind === 'dir') {
    if (!recursive) throw new UsageError(`cp: ${show} is a folder (use -r to copy folders)`);
    if (destKind === 'file') {
      throw new UsageError(`cp: ${dest.side.show(dest.path)} is a file, not a folder`);
    }
    await copyTree(run, from, target);
  } else {
    await copyFile(run, from, target);
  }
}

export const cpCommand: CommandSpec = {
  name: 'cp',
  args: '<paths...>',
  summary: 'copy files between the computer and the board (`:main.py` is on the board)',
  configure(command) {
    command
      .option('-r, --recursive', 'copy folders and everything in them')
      .option('-f, --force', 'copy even files the destination already holds');
  },
  async run(args, options, context) {
    if (args.length < 2) throw new UsageError('cp: give a source and a destination');
    if (!args.some(isBoardArg)) {
      throw new UsageError(
        `cp: no board path: prefix board paths with ':' (e.g. mpy cp ${args[0]} :${args.at(-1)})`,
      );
    }
    const board = new BoardSide(await context.board());
    const sources = args.slice(0, -1).map((arg) => endpoint(arg, board));
    const dest = endpoint(args.at(-1)!, board);
    const run: CopyRun = { context, force: options.force === true, copied: 0, skipped: 0 };
    if (sources.length > 1 && (await dest.side.kind(dest.path)) !== 'dir') {
      throw new UsageError(`cp: ${dest.side.show(dest.path)} must be a folder for several sources`);
    }
    for (const source of sources) {
      if (!isBoardArg(source.arg) && !isBoardArg(dest.arg)) {
        throw new UsageError(
          `cp: ${source.arg} and ${dest.arg} are both local: prefix board paths with ':'`,
        );
      }
      await onBoardPath('cp', isBoardArg(source.arg) ? source.path : dest.path, () =>
        copyOne(run, source, dest, options.recursive === true),
      );
    }
  },
};
