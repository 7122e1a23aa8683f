// test/board/memory-tree.ts: `BoardFs.writeTree` for in-memory test boards, built on the board's
// own calls with the contract's behaviour (folders with their parents, files compared by digest
// unless forced, every fate told before anything is written), recording each tree it is given.
import type { BoardFs, TreeWrite } from '../../src/board/types.js';
import { BoardError } from '../../src/errors.js';

/** Make each folder with its parents, one level at a time (boards whose mkdir has no -p). */
async function makeFolders(board: BoardFs, folders: string[]): Promise<void> {
  const all = new Set<string>();
  for (const folder of folders) {
    const parts = folder.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) all.add(`/${parts.slice(0, i).join('/')}`);
  }
  for (const folder of all) {
    if ((await board.stat(folder))?.kind === 'dir') continue;
    await board.mkdir(folder);
  }
}

/** A writeTree for `board`: `takes` false makes it the board that takes no tree. */
export function memoryWriteTree(
  board: BoardFs,
  trees: TreeWrite[],
  takes: () => boolean,
): (tree: TreeWrite) => Promise<boolean> {
  return async (tree) => {
    trees.push(tree);
    if (!takes()) return false;
    const parents = tree.files.map((f) => f.path.slice(0, f.path.lastIndexOf('/')) || '/');
    await makeFolders(board, [...tree.folders, ...parents]);
    const sent: boolean[] = [];
    for (const { path, data } of tree.files) {
      let held = false;
      if (!tree.force) {
        try {
          held = (await board.digest(path)) === board.localDigest(data);
        } catch (error) {
          if (!(error instanceof BoardError)) throw error;
        }
      }
      sent.push(!held);
    }
    for (const [i, { path }] of tree.files.entries()) tree.onFile?.(path, sent[i]!);
    for (const [i, { path, data }] of tree.files.entries()) {
      if (sent[i]) await board.writeFile(path, data);
    }
    return true;
  };
}
