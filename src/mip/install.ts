// src/mip/install.ts: carry out a resolved install on the board: print mpremote's lines, make
// the folders, and write each file atomically, leaving files that already match alone.
import { boardDirname } from '../board/paths.js';
import type { BoardFs, WriteOptions } from '../board/types.js';
import { MpyError } from '../errors.js';
import type { PlanStep } from './resolve.js';

/** Where the install reports. */
export interface InstallIo {
  /** One line of output (without the newline). */
  line(text: string): void;
  /** A progress callback for writing `dest`, and its end. */
  progress?(dest: string): { update: NonNullable<WriteOptions['onProgress']>; end(): void };
  /** Runs each board operation on `path`, e.g. to explain board errors; default: just run it. */
  onBoard?<T>(path: string, action: () => Promise<T>): Promise<T>;
}

/**
 * Run `steps` on `board` in order: notes are printed, each file is `Exists: PATH` when the
 * board's copy has the same digest, else `Installing: PATH` and written with `writeFile`. Its
 * folder is made first (with parents, once) where the board has folders; on a flat board a file
 * in a folder is an error. `made` carries the folders already made across packages. The files
 * between two notes go as one tree (`BoardFs.writeTree`) where the board takes one: the same
 * lines, printed once the board has said which files it holds, then the files written.
 */
export async function writePlan(
  board: BoardFs,
  steps: PlanStep[],
  io: InstallIo,
  made: Set<string> = new Set(),
): Promise<void> {
  const hasFolders = await board.hasDirectories();
  const onBoard = io.onBoard ?? (<T>(_path: string, action: () => Promise<T>) => action());
  for (let at = 0; at < steps.length; ) {
    const step = steps[at]!;
    if (step.kind === 'note') {
      io.line(step.text);
      at++;
      continue;
    }
    // the files between two notes: a package's, written as one tree where the board takes one
    let end = at;
    while (steps[end]?.kind === 'file') end++;
    const files = steps.slice(at, end) as FileStep[];
    at = end;
    if (hasFolders && (await writeAtOnce(board, files, io, made, onBoard))) continue;
    for (const file of files) await writeOne(board, file, io, made, hasFolders, onBoard);
  }
}

type FileStep = Extract<PlanStep, { kind: 'file' }>;

/** `files` as one `writeTree`, with the lines `writeOne` prints; false when the board takes no
 * tree (nothing printed or written then). */
async function writeAtOnce(
  board: BoardFs,
  files: FileStep[],
  io: InstallIo,
  made: Set<string>,
  onBoard: NonNullable<InstallIo['onBoard']>,
): Promise<boolean> {
  const writeTree = board.writeTree?.bind(board);
  if (files.length < 2 || !writeTree) return false;
  const first = files[0]!.dest;
  const progress = io.progress?.(first);
  try {
    // a board error names the package's first folder: the tree has no one file to blame
    const done = await onBoard(boardDirname(first), () =>
      writeTree({
        folders: [],
        files: files.map((f) => ({ path: f.dest, data: f.data })),
        onFile: (path, sent) => io.line(`${sent ? 'Installing' : 'Exists'}: ${path}`),
        ...(progress ? { onProgress: progress.update } : {}),
      }),
    );
    if (!done) return false;
  } finally {
    progress?.end();
  }
  for (const { dest } of files) {
    for (let f = boardDirname(dest); f !== '/' && f !== ''; f = boardDirname(f)) made.add(f);
  }
  return true;
}

/** One file: `Exists: PATH` when the board's copy has the same digest, else `Installing: PATH`
 * and written, its folder made first. */
async function writeOne(
  board: BoardFs,
  step: FileStep,
  io: InstallIo,
  made: Set<string>,
  hasFolders: boolean,
  onBoard: NonNullable<InstallIo['onBoard']>,
): Promise<void> {
  const folder = boardDirname(step.dest);
  if (folder !== '/' && !made.has(folder)) {
    if (!hasFolders) {
      throw new MpyError(`cannot install ${step.dest}: this board has no folders`);
    }
    await onBoard(folder, () => board.mkdir(folder, { parents: true }));
    for (let f = folder; f !== '/' && f !== ''; f = boardDirname(f)) made.add(f);
  }
  const digest = await onBoard(step.dest, () => board.digest(step.dest));
  if (digest === board.localDigest(step.data)) {
    io.line(`Exists: ${step.dest}`);
    return;
  }
  io.line(`Installing: ${step.dest}`);
  const progress = io.progress?.(step.dest);
  try {
    const options = progress ? { onProgress: progress.update } : {};
    await onBoard(step.dest, () => board.writeFile(step.dest, step.data, options));
  } finally {
    progress?.end();
  }
}
