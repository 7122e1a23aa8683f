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
 * in a folder is an error. `made` carries the folders already made across packages.
 */
export async function writePlan(
  board: BoardFs,
  steps: PlanStep[],
  io: InstallIo,
  made: Set<string> = new Set(),
): Promise<void> {
  const hasFolders = await board.hasDirectories();
  const onBoard = io.onBoard ?? (<T>(_path: string, action: () => Promise<T>) => action());
  for (const step of steps) {
    if (step.kind === 'note') {
      io.line(step.text);
      continue;
    }
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
      continue;
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
}
