// src/commands/cp.ts: `mpy cp [-r] [-f] SRC... DEST`: copy files and folders between the computer
// and the board (`:` marks board paths) with mpremote's rules and output; files the destination
// already holds are skipped (`Up to date: …`).
import { resolve } from 'node:path';
import type { TreeWrite } from '../board/types.js';
import { compiledName, counterpartName } from '../compile/names.js';
import { MpyError, UsageError } from '../errors.js';
import { boardArg, isBoardArg, joinShown, onBoardPath, resolveBoardPath } from './board-path.js';
import { BoardSide, type CopySide, LocalSide } from './copy-sides.js';
import { localErrnoText } from './errno-text.js';
import { isVerbose } from './options.js';
import { startProgress } from './progress.js';
import type { CommandContext, CommandRun } from './types.js';

/** One end of a copy: its side, the native path there, and the path as mpremote shows it. */
interface Endpoint {
  side: CopySide;
  path: string;
  /** Board paths without their `:` (`aaa/a.py`, `` for `:`), local paths as given. */
  shown: string;
  onBoard: boolean;
}

interface CopyRun {
  context: CommandContext;
  force: boolean;
  /** `--mpy`: .py files going to the board are compiled and sent as .mpy. */
  mpy: boolean;
}

/** Run a read or write of `end`, worded as mpremote words file errors. */
async function guarded<T>(end: Endpoint, action: () => Promise<T>): Promise<T> {
  if (end.onBoard) return onBoardPath('cp', end.shown, action);
  try {
    return await action();
  } catch (error) {
    const text = localErrnoText(error);
    if (text) throw new MpyError(`cp: ${end.shown}: ${text}.`, { cause: error });
    throw error;
  }
}

function inside(end: Endpoint, ...names: string[]): Endpoint {
  const path = names.reduce((folder, name) => end.side.join(folder, name), end.path);
  return { ...end, path, shown: end.onBoard ? joinShown(end.shown, ...names) : path };
}

/** `x/` and `x//` name the folder `x`; `/` stays the root. */
function withoutTrailingSlash(end: Endpoint): Endpoint {
  return { ...end, shown: end.shown.replace(/(.)\/+$/, '$1') };
}

/**
 * Where `cp --mpy` puts the compiled `from`: `x.mpy` for a board destination `x.py` (not
 * `boot.py`/`main.py`, which the board runs as source), or a destination already named `.mpy`;
 * undefined when the file goes as it is.
 */
function compiledDestination(run: CopyRun, from: Endpoint, to: Endpoint): Endpoint | undefined {
  if (!run.mpy || from.onBoard || !to.onBoard || !from.path.endsWith('.py')) return undefined;
  if (to.path.endsWith('.mpy')) return to;
  const path = compiledName(to.path);
  if (!path) return undefined;
  return { ...to, path, shown: compiledName(to.shown) ?? to.shown };
}

async function copyFile(run: CopyRun, from: Endpoint, source: Endpoint): Promise<void> {
  // Ctrl-C also stops an upload under way (the board keeps the old file, see BoardSide.write)
  if (run.context.signal.aborted) throw interrupted();
  const compiled = compiledDestination(run, from, source);
  const to = compiled ?? source;
  const label = `${from.side.show(from.path)} -> ${to.side.show(to.path)}`;
  const progress = startProgress(run.context, label);
  try {
    let data = await guarded(from, () => from.side.read(from.path, progress.update));
    // the board path of the source (`/lib/x.py`) is what the board's tracebacks then name
    // (absolute: a relative board path is resolved against the board's folder for it)
    const sourceName = compiled && (await absoluteOnBoard(run.context, counterpartName(to.path)!));
    if (sourceName) {
      await (to.side as BoardSide).checkMpy();
      // mpy-cross is loaded only for --mpy
      const { compileToMpy } = await import('../compile/mpy-cross.js');
      data = await compileToMpy(data, { sourceName, shownName: from.shown });
    }
    if (!run.force && (await guarded(to, () => to.side.holds(to.path, data)))) {
      // mpremote compares digests only for board destinations, and says so
      if (to.onBoard) run.context.out(`Up to date: ${to.shown}\n`);
    } else {
      await guarded(to, () => to.side.write(to.path, data, progress.update));
    }
    // MicroPython imports x.py before x.mpy: an old x.py left there would hide the new module
    if (sourceName) await guarded(to, () => (to.side as BoardSide).removeStale(sourceName));
  } finally {
    progress.end();
  }
}

/** `path` as the board's absolute path (relative board paths start at its folder). */
async function absoluteOnBoard(context: CommandContext, path: string): Promise<string> {
  if (path.startsWith('/')) return path;
  return resolveBoardPath(path, await context.boardFolder().catch(() => '/'));
}

/** Copy one file (mpremote's `do_filesystem_cp`). */
async function copyOne(run: CopyRun, from: Endpoint, dest: Endpoint, several: boolean) {
  const forcedFolder = /.\/$/.test(dest.shown);
  const destKind = await dest.side.kind(dest.path);
  if (forcedFolder && destKind !== 'dir') throw new MpyError('cp: destination is not a directory');
  if (several && destKind === undefined) throw new MpyError('cp: destination does not exist');
  if (several && destKind !== 'dir') throw new MpyError('cp: destination is not a directory');
  if ((await from.side.kind(from.path)) === 'dir') {
    throw new MpyError('cp: -r not specified; omitting directory');
  }
  const target = withoutTrailingSlash(dest);
  await copyFile(
    run,
    from,
    destKind === 'dir' ? inside(target, from.side.basename(from.path)) : target,
  );
}

/** Copy a folder and all below it (mpremote's `do_filesystem_recursive_cp`): into DEST when it
 * exists, else as DEST. */
async function copyRecursive(run: CopyRun, source: Endpoint, dest: Endpoint, several: boolean) {
  const from = withoutTrailingSlash(source);
  const to = withoutTrailingSlash(dest);
  if ((await from.side.kind(from.path)) !== 'dir') return copyOne(run, from, to, several);
  const destKind = await to.side.kind(to.path);
  if (destKind === 'file') throw new MpyError('cp: destination is not a directory');
  const root = destKind === 'dir' ? inside(to, from.side.basename(from.path)) : to;
  const { folders, files } = await guarded(from, () => from.side.walk(from.path));
  if (await copyTreeAtOnce(run, from, root, folders, files)) return;
  if (!run.force) await guarded(to, () => to.side.prefetch(root.path));
  // making the deepest folders with their parents makes all of them, in fewer round trips
  const leaves = folders.filter((f) => !folders.some((g) => g.startsWith(`${f}/`)));
  if (leaves.length === 0) await guarded(to, () => to.side.makeFolders(root.path));
  for (const folder of leaves) {
    await guarded(to, () => to.side.makeFolders(to.side.join(root.path, folder)));
  }
  // mpremote copies in the order of the sorted path components
  const sorted = files.map((file) => file.split('/')).sort(compareParts);
  for (const parts of sorted) {
    await copyFile(run, inside(from, ...parts), inside(root, ...parts));
  }
}

/**
 * A computer folder to the board in one go (`BoardFs.writeTree`) where the board takes a whole
 * tree; false when it goes file by file. It prints what file by file prints: `Up to date: …`
 * for each file the board holds already, in the same order.
 */
async function copyTreeAtOnce(
  run: CopyRun,
  from: Endpoint,
  root: Endpoint,
  folders: string[],
  files: string[],
): Promise<boolean> {
  // --mpy compiles and removes stale sources file by file
  if (run.mpy || from.onBoard || !root.onBoard) return false;
  if (run.context.signal.aborted) throw new MpyError('cp: interrupted');
  const shown = new Map<string, string>();
  const tree: TreeWrite = {
    folders: [root.path, ...folders.map((folder) => root.side.join(root.path, folder))],
    files: [],
    force: run.force,
    onFile: (path, sent) => {
      if (!sent) run.context.out(`Up to date: ${shown.get(path)}\n`);
    },
  };
  const sorted = files.map((file) => file.split('/')).sort(compareParts);
  // read all at once: one by one, 50 small files take ~90 ms on a busy machine
  const contents = await Promise.all(
    sorted.map((parts) => {
      const source = inside(from, ...parts);
      return guarded(source, () => source.side.read(source.path));
    }),
  );
  for (const [i, parts] of sorted.entries()) {
    const target = inside(root, ...parts);
    shown.set(target.path, target.shown);
    tree.files.push({ path: target.path, data: contents[i]! });
  }
  const label = `${from.side.show(from.path)} -> ${root.side.show(root.path)}`;
  const progress = startProgress(run.context, label);
  try {
    tree.onProgress = progress.update;
    return await guarded(root, () => (root.side as BoardSide).writeTree(tree));
  } finally {
    progress.end();
  }
}

function compareParts(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/** `mpy cp`; its arguments and options are in src/commands/index.ts. */
export const runCp: CommandRun = async (args, options, context) => {
  if (args.length < 2) throw new UsageError('cp: missing destination path');
  let board: BoardSide | undefined;
  // a copy to /dev/stdout is printed as `cat` prints
  const local = new LocalSide((data) => context.out(data));
  const end = async (arg: string): Promise<Endpoint> => {
    if (!isBoardArg(arg)) {
      return { side: local, path: resolve(arg), shown: arg, onBoard: false };
    }
    board ??= new BoardSide(await context.board(), context.signal, options.direct === true);
    const { path, shown } = await boardArg(context, arg);
    return { side: board, path, shown, onBoard: true };
  };
  const destArg = args.at(-1)!;
  const sources = args.slice(0, -1);
  const run: CopyRun = { context, force: options.force === true, mpy: options.mpy === true };
  for (const source of sources) {
    if (isVerbose(options)) context.out(`cp ${source} ${destArg}\n`);
    const from = await end(source);
    const dest = await end(destArg);
    if (options.recursive === true) await copyRecursive(run, from, dest, sources.length > 1);
    else await copyOne(run, from, dest, sources.length > 1);
  }
  // A Ctrl-C that came as the last file finished: still exit as interrupted (130).
  if (context.signal.aborted) throw interrupted();
};

function interrupted(): MpyError {
  return new MpyError('cp: interrupted');
}
