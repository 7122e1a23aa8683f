// src/commands/edit.ts: `mpy edit :file...`: fetch each board file into a temp file, run $EDITOR
// on it, and copy it back when the editor succeeded and the text changed (mpremote's `edit`;
// a missing file starts empty and is created).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boardBasename } from '../board/paths.js';
import { MpyError } from '../errors.js';
import { boardArg, onBoardPath } from './board-path.js';
import type { CommandRun } from './types.js';

/** Run `editor` (a shell command line, as $EDITOR may hold arguments) on `file`. */
function runEditor(editor: string, file: string): boolean {
  // the file name reaches the shell as "$1", never spliced into the command line
  const result = spawnSync('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
  return result.status === 0;
}

/** `mpy edit`; its arguments and options are in src/commands/index.ts. */
export const runEdit: CommandRun = async (args, _options, context) => {
  const editor = process.env.EDITOR;
  if (!editor) throw new MpyError('edit: $EDITOR not set');
  const board = await context.board();
  for (const arg of args) {
    const { path, shown } = await boardArg(context, arg);
    context.out(`edit :${shown}\n`);
    const folder = await mkdtemp(join(tmpdir(), 'mpy-edit-'));
    try {
      const local = join(folder, boardBasename(path) || 'file');
      const before = await onBoardPath('edit', shown, async () =>
        (await board.stat(path)) ? board.readFile(path) : new Uint8Array(0),
      );
      await writeFile(local, before);
      if (!runEditor(editor, local)) continue;
      const after = new Uint8Array(await readFile(local));
      if (!Buffer.from(after).equals(before) || !(await board.stat(path))) {
        await onBoardPath('edit', shown, () => board.writeFile(path, after));
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
};
