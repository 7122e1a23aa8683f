// src/commands/copy-sides.ts: the two ends `cp` copies between, the computer's files and the
// board's, behind one small interface so every direction is the same code.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { boardBasename, joinBoardPath } from '../board/paths.js';
import type { BoardFs, TreeWrite } from '../board/types.js';
import { checkMpyTarget } from '../compile/target.js';
import { BoardError, UsageError } from '../errors.js';
import { showBoard } from './board-path.js';
import { writeLocalFile } from './local-file.js';

/** One end of a copy. Paths are native to the side (absolute on the board). */
export interface CopySide {
  show(path: string): string;
  kind(path: string): Promise<'file' | 'dir' | undefined>;
  read(path: string, onProgress?: (done: number, total: number) => void): Promise<Uint8Array>;
  write(
    path: string,
    data: Uint8Array,
    onProgress?: (done: number, total: number) => void,
  ): Promise<void>;
  /** True when `path` already holds exactly `data` (then the copy is skipped). */
  holds(path: string, data: Uint8Array): Promise<boolean>;
  /** Create the folder and its parents. */
  makeFolders(path: string): Promise<void>;
  /** Folders and files below `root`, as `/`-separated paths relative to it, folders first. */
  walk(root: string): Promise<{ folders: string[]; files: string[] }>;
  /** Learn the state of a whole destination tree at once, so `holds` needs no round trips. */
  prefetch(root: string): Promise<void>;
  join(folder: string, relative: string): string;
  basename(path: string): string;
}

/** The names of the process's own stdout (`cp :f.txt /dev/stdout`, as mpremote takes it). */
const STDOUT_PATHS = /^\/(?:dev\/(?:stdout|fd\/1)|proc\/self\/fd\/1)$/;

/** What separates the parts of a local path: `\` is one on Windows only; on POSIX it is a
 * character a file name may hold (`back\slash.txt`). */
const LOCAL_SEPARATORS = sep === '\\' ? /[/\\]/ : /\//;

/** The computer's filesystem. */
export class LocalSide implements CopySide {
  /** `stdout`: where a copy to /dev/stdout goes, so it lands after (and in order with) what mpy
   * has printed, also when stdout is a file a shell opened (renaming over it or opening it anew
   * would lose those lines). Unset: /dev/stdout is written as any other device. */
  constructor(private readonly stdout?: (data: Uint8Array) => void) {}

  private isStdout(path: string): boolean {
    return this.stdout !== undefined && STDOUT_PATHS.test(path);
  }

  show(path: string): string {
    return path;
  }

  async kind(path: string): Promise<'file' | 'dir' | undefined> {
    try {
      return (await stat(path)).isDirectory() ? 'dir' : 'file';
    } catch {
      return undefined;
    }
  }

  async read(path: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(path));
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    if (this.isStdout(path)) this.stdout!(data);
    else await writeLocalFile(path, data);
  }

  async holds(path: string, data: Uint8Array): Promise<boolean> {
    // Only a regular file is compared: reading a terminal or a pipe waits for input that never
    // comes, and /dev/full or /dev/zero never end.
    if (this.isStdout(path)) return false;
    try {
      const info = await stat(path);
      if (!info.isFile() || info.size !== data.length) return false;
      return Buffer.from(await readFile(path)).equals(data);
    } catch {
      return false;
    }
  }

  async makeFolders(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }

  async walk(root: string): Promise<{ folders: string[]; files: string[] }> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    const folders: string[] = [];
    const files: string[] = [];
    for (const entry of entries) {
      const parent = entry.parentPath ?? (entry as { path?: string }).path ?? root;
      const relative = join(parent, entry.name).slice(root.length);
      const posix = relative
        .split(LOCAL_SEPARATORS)
        .filter((part) => part !== '')
        .join('/');
      if (entry.isDirectory()) folders.push(posix);
      else if (entry.isFile()) files.push(posix);
    }
    return { folders: folders.sort(), files: files.sort() };
  }

  async prefetch(): Promise<void> {}

  join(folder: string, relative: string): string {
    return relative ? join(folder, ...relative.split('/')) : folder;
  }

  basename(path: string): string {
    return basename(path);
  }
}

/** The board's filesystem through the board layer. */
export class BoardSide implements CopySide {
  private digests: Map<string, string> | undefined;
  /** Folders known to exist, so `makeFolders` can skip them. */
  private readonly folders = new Set<string>();
  private mpyChecked: Promise<void> | undefined;

  /** `signal`: Ctrl-C, which stops an upload under way (the board keeps the old file);
   * `direct`: files are written in place, with no temp file (`cp --direct`). */
  constructor(
    private readonly board: BoardFs,
    private readonly signal?: AbortSignal,
    private readonly direct = false,
  ) {}

  /** Throws one line when the board cannot load what mpy-cross writes (`cp --mpy`); asked once. */
  checkMpy(): Promise<void> {
    this.mpyChecked ??= (async () => {
      checkMpyTarget((await this.board.mpyTarget?.()) ?? { mpy: undefined, firmware: '' });
    })();
    return this.mpyChecked;
  }

  /** Remove a file that must not stay beside the one just written (`x.py` beside `x.mpy`);
   * nothing when it is not there. */
  async removeStale(path: string): Promise<void> {
    if (this.digests && !this.digests.has(path)) return;
    try {
      await this.board.remove(path);
    } catch (error) {
      if (!(error instanceof BoardError && error.errno === 2)) throw error;
    }
    this.digests?.delete(path);
  }

  /** The whole tree at once where the board can (see `BoardFs.writeTree`); false: it goes file
   * by file. */
  async writeTree(tree: TreeWrite): Promise<boolean> {
    // --direct: each file in place, as writeFile does it
    if (this.direct) return false;
    return (await this.board.writeTree?.(tree)) ?? false;
  }

  show(path: string): string {
    return showBoard(path);
  }

  async kind(path: string): Promise<'file' | 'dir' | undefined> {
    // `:` alone, the board's own folder, is a folder: no need to ask
    if (path === '') return 'dir';
    return (await this.board.stat(path))?.kind;
  }

  read(path: string, onProgress?: (done: number, total: number) => void): Promise<Uint8Array> {
    return this.board.readFile(path, { onProgress, signal: this.signal });
  }

  async write(
    path: string,
    data: Uint8Array,
    onProgress?: (done: number, total: number) => void,
  ): Promise<void> {
    await this.board.writeFile(path, data, {
      onProgress,
      signal: this.signal,
      direct: this.direct,
    });
    this.digests?.set(path, this.board.localDigest(data));
  }

  async holds(path: string, data: Uint8Array): Promise<boolean> {
    const local = this.board.localDigest(data);
    if (this.digests) return this.digests.get(path) === local;
    try {
      return (await this.board.digest(path)) === local;
    } catch (error) {
      if (error instanceof BoardError && error.errno === 21) {
        throw new UsageError(`cp: ${showBoard(path)} is a folder, not a file`);
      }
      throw error;
    }
  }

  async makeFolders(path: string): Promise<void> {
    if (path === '/' || this.folders.has(path) || !(await this.board.hasDirectories())) return;
    await this.board.mkdir(path, { parents: true });
    for (let at = path.length; at > 0; at = path.lastIndexOf('/', at - 1)) {
      this.folders.add(path.slice(0, at));
    }
  }

  async walk(root: string): Promise<{ folders: string[]; files: string[] }> {
    const folders: string[] = [];
    const files: string[] = [];
    const visit = async (relative: string): Promise<void> => {
      for (const entry of await this.board.listDir(this.join(root, relative))) {
        const path = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.kind === 'dir') {
          folders.push(path);
          await visit(path);
        } else files.push(path);
      }
    };
    await visit('');
    return { folders, files };
  }

  async prefetch(root: string): Promise<void> {
    const files = await this.board.digestTree(root);
    this.digests = new Map(files.map((f) => [f.path, f.digest]));
    // every folder holding a file exists: an unchanged tree then needs no mkdir round trips
    for (const file of files) {
      for (let at = file.path.lastIndexOf('/'); at > 0; at = file.path.lastIndexOf('/', at - 1)) {
        this.folders.add(file.path.slice(0, at));
      }
    }
  }

  join(folder: string, relative: string): string {
    return relative ? joinBoardPath(folder, relative) : folder;
  }

  basename(path: string): string {
    return boardBasename(path);
  }
}
