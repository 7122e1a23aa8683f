// test/sync/memory-board.ts: an in-memory BoardFs for unit tests of the syncer (no REPL, no sim):
// files in a Map, sha256 digests, BoardErrors with errno like a board's, and a switch that makes
// every call fail with TransportError as an unplugged cable would.
import { createHash } from 'node:crypto';
import type {
  BoardFs,
  DirEntry,
  FileStat,
  FsUsage,
  MpyTarget,
  PatchOp,
  RemoteFile,
} from '../../src/board/types.js';
import { BoardError, TransportError } from '../../src/errors.js';

function oserror(errno: number, name: string): BoardError {
  return new BoardError('OSError', `[Errno ${errno}] ${name}`, '');
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** A board filesystem in memory. `calls` counts operations by name. */
export class MemoryBoard implements BoardFs {
  readonly files = new Map<string, Uint8Array>();
  readonly dirs = new Set<string>(['/']);
  readonly calls = new Map<string, number>();
  /** When true every call throws TransportError (link cut). */
  unplugged = false;
  /** A board without folders (micro:bit). */
  flat = false;
  /** A filesystem whose rename fails (EIO). */
  brokenRename = false;
  /** What `sys.implementation` says about .mpy files (`--mpy`). */
  target: MpyTarget = { mpy: 774, firmware: '1.27.0' };

  private enter(name: string): void {
    if (this.unplugged) throw new TransportError('link cut');
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  count(name: string): number {
    return this.calls.get(name) ?? 0;
  }

  /** Files below `root` as relative path -> text, for assertions. */
  snapshot(root = '/'): Record<string, string> {
    const out: Record<string, string> = {};
    const prefix = root === '/' ? '/' : `${root}/`;
    for (const [path, data] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      if (path.startsWith(prefix)) out[path.slice(prefix.length)] = new TextDecoder().decode(data);
    }
    return out;
  }

  async mpyTarget(): Promise<MpyTarget> {
    this.enter('mpyTarget');
    return this.target;
  }

  localDigest(data: Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
  }

  async listDir(path: string): Promise<DirEntry[]> {
    this.enter('listDir');
    if (!this.dirs.has(path)) throw oserror(2, 'ENOENT');
    const prefix = path === '/' ? '/' : `${path}/`;
    const out: DirEntry[] = [];
    for (const dir of this.dirs) {
      if (dir !== '/' && parentOf(dir) === path) {
        out.push({ name: dir.slice(prefix.length), kind: 'dir', size: 0 });
      }
    }
    for (const [file, data] of this.files) {
      if (parentOf(file) === path) {
        out.push({ name: file.slice(prefix.length), kind: 'file', size: data.length });
      }
    }
    return out;
  }

  async stat(path: string): Promise<FileStat | undefined> {
    this.enter('stat');
    if (this.dirs.has(path)) return { kind: 'dir', size: 0 };
    const data = this.files.get(path);
    return data ? { kind: 'file', size: data.length } : undefined;
  }

  async readFile(path: string): Promise<Uint8Array> {
    this.enter('readFile');
    const data = this.files.get(path);
    if (!data) throw oserror(2, 'ENOENT');
    return data.slice();
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.enter('writeFile');
    if (!this.dirs.has(parentOf(path))) throw oserror(2, 'ENOENT');
    if (this.dirs.has(path)) throw oserror(21, 'EISDIR');
    this.files.set(path, data.slice());
  }

  async patchFile(path: string, base: string, ops: PatchOp[], expected: string): Promise<boolean> {
    this.enter('patchFile');
    const data = this.files.get(path);
    if (!data || this.localDigest(data) !== base) return false;
    // Applied from the last op to the first so earlier offsets stay valid.
    let text = Buffer.from(data);
    for (const op of [...ops].sort((a, b) => b.at - a.at)) {
      text = Buffer.concat([
        text.subarray(0, op.at),
        op.insert,
        text.subarray(op.at + op.deleteCount),
      ]);
    }
    if (this.localDigest(text) !== expected) return false;
    this.files.set(path, new Uint8Array(text));
    return true;
  }

  async digest(path: string): Promise<string | undefined> {
    this.enter('digest');
    const data = this.files.get(path);
    return data ? this.localDigest(data) : undefined;
  }

  async digestTree(root: string): Promise<RemoteFile[]> {
    this.enter('digestTree');
    const prefix = root === '/' ? '/' : `${root}/`;
    return [...this.files]
      .filter(([path]) => path.startsWith(prefix))
      .map(([path, data]) => ({ path, size: data.length, digest: this.localDigest(data) }));
  }

  async remove(path: string): Promise<void> {
    this.enter('remove');
    if (!this.files.delete(path)) throw oserror(2, 'ENOENT');
  }

  async removeTree(path: string): Promise<void> {
    this.enter('removeTree');
    if (this.files.delete(path)) return;
    if (!this.dirs.has(path)) throw oserror(2, 'ENOENT');
    for (const file of [...this.files.keys()])
      if (file.startsWith(`${path}/`)) this.files.delete(file);
    for (const dir of [...this.dirs])
      if (dir === path || dir.startsWith(`${path}/`)) this.dirs.delete(dir);
  }

  async mkdir(path: string, options?: { parents?: boolean }): Promise<void> {
    this.enter('mkdir');
    if (this.flat) throw oserror(95, 'EOPNOTSUPP');
    if (this.files.has(path)) throw oserror(17, 'EEXIST');
    if (this.dirs.has(path)) {
      if (options?.parents) return;
      throw oserror(17, 'EEXIST');
    }
    if (!this.dirs.has(parentOf(path))) {
      if (!options?.parents) throw oserror(2, 'ENOENT');
      await this.mkdir(parentOf(path), options);
    }
    this.dirs.add(path);
  }

  async rmdir(path: string): Promise<void> {
    this.enter('rmdir');
    if (!this.dirs.has(path)) throw oserror(2, 'ENOENT');
    const busy =
      [...this.files.keys()].some((f) => f.startsWith(`${path}/`)) ||
      [...this.dirs].some((d) => d.startsWith(`${path}/`));
    if (busy) throw oserror(39, 'ENOTEMPTY');
    this.dirs.delete(path);
  }

  async rename(from: string, to: string): Promise<void> {
    this.enter('rename');
    if (this.brokenRename) throw oserror(5, 'EIO');
    if (!this.dirs.has(parentOf(to))) throw oserror(2, 'ENOENT');
    const data = this.files.get(from);
    if (data) {
      this.files.delete(from);
      this.files.set(to, data);
      return;
    }
    if (!this.dirs.has(from)) throw oserror(2, 'ENOENT');
    for (const [file, content] of [...this.files]) {
      if (!file.startsWith(`${from}/`)) continue;
      this.files.delete(file);
      this.files.set(to + file.slice(from.length), content);
    }
    for (const dir of [...this.dirs]) {
      if (dir !== from && !dir.startsWith(`${from}/`)) continue;
      this.dirs.delete(dir);
      this.dirs.add(to + dir.slice(from.length));
    }
  }

  async usage(): Promise<FsUsage> {
    this.enter('usage');
    return { blockSize: 4096, totalBytes: 1 << 20, freeBytes: 1 << 19 };
  }

  async hasDirectories(): Promise<boolean> {
    return !this.flat;
  }
}
