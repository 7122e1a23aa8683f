// test/fuse/memory-board.ts: an in-memory BoardFs with a board's errno behaviour, and a wrapper
// that counts calls, so the FUSE layer can be tested with a real mount but no REPL.
import { createHash } from 'node:crypto';
import type {
  BoardFs,
  DirEntry,
  FileStat,
  FsUsage,
  PatchOp,
  RemoteFile,
} from '../../src/board/types.js';
import { BoardError } from '../../src/errors.js';

const NAMES: Record<number, string> = {
  2: 'ENOENT',
  17: 'EEXIST',
  20: 'ENOTDIR',
  21: 'EISDIR',
  28: 'ENOSPC',
  39: 'ENOTEMPTY',
  1: 'EPERM',
};

function oserror(errno: number): BoardError {
  return new BoardError('OSError', `[Errno ${errno}] ${NAMES[errno]}`, '');
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** A board filesystem in a Map: folders are `null`, files their bytes. */
export class MemoryBoard implements BoardFs {
  readonly entries = new Map<string, Uint8Array | null>([['/', null]]);

  constructor(
    private readonly options: { capacity?: number; flat?: boolean; renameOverFails?: boolean } = {},
  ) {}

  private need(path: string): Uint8Array | null {
    if (!this.entries.has(path)) throw oserror(2);
    return this.entries.get(path)!;
  }

  private needParentDir(path: string): void {
    if (this.need(parentOf(path)) !== null) throw oserror(20);
  }

  private used(): number {
    let total = 0;
    for (const data of this.entries.values()) total += data?.length ?? 0;
    return total;
  }

  async listDir(path: string): Promise<DirEntry[]> {
    if (this.need(path) !== null) throw oserror(20);
    const prefix = path === '/' ? '/' : `${path}/`;
    const found: DirEntry[] = [];
    for (const [key, data] of this.entries) {
      if (key === path || !key.startsWith(prefix) || key.slice(prefix.length).includes('/'))
        continue;
      found.push({
        name: key.slice(prefix.length),
        kind: data === null ? 'dir' : 'file',
        size: data?.length ?? 0,
        mtime: 1_700_000_000,
      });
    }
    return found;
  }

  async stat(path: string): Promise<FileStat | undefined> {
    if (!this.entries.has(path)) return undefined;
    const data = this.entries.get(path)!;
    return { kind: data === null ? 'dir' : 'file', size: data?.length ?? 0 };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const data = this.need(path);
    if (data === null) throw oserror(21);
    return data.slice();
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.needParentDir(path);
    if (this.entries.get(path) === null) throw oserror(21);
    const old = this.entries.get(path)?.length ?? 0;
    if (
      this.options.capacity !== undefined &&
      this.used() - old + data.length > this.options.capacity
    ) {
      throw oserror(28);
    }
    this.entries.set(path, data.slice());
  }

  async patchFile(
    _path: string,
    _base: string,
    _ops: PatchOp[],
    _digest: string,
  ): Promise<boolean> {
    return false;
  }

  async digest(path: string): Promise<string | undefined> {
    const data = this.entries.get(path);
    return data ? this.localDigest(data) : undefined;
  }

  async digestTree(root: string): Promise<RemoteFile[]> {
    return [...this.entries]
      .filter(([key, data]) => data !== null && key.startsWith(root))
      .map(([key, data]) => ({ path: key, size: data!.length, digest: this.localDigest(data!) }));
  }

  localDigest(data: Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
  }

  async remove(path: string): Promise<void> {
    if (this.need(path) === null) throw oserror(21);
    this.entries.delete(path);
  }

  async removeTree(path: string): Promise<void> {
    this.need(path);
    for (const key of [...this.entries.keys()]) {
      if (key === path || key.startsWith(`${path}/`)) this.entries.delete(key);
    }
  }

  async mkdir(path: string): Promise<void> {
    if (this.options.flat) throw oserror(1);
    this.needParentDir(path);
    if (this.entries.has(path)) throw oserror(17);
    this.entries.set(path, null);
  }

  async rmdir(path: string): Promise<void> {
    if (this.need(path) !== null) throw oserror(20);
    if ((await this.listDir(path)).length > 0) throw oserror(39);
    this.entries.delete(path);
  }

  async rename(from: string, to: string): Promise<void> {
    const moved = this.need(from);
    this.needParentDir(to);
    if (this.entries.has(to)) {
      if (this.options.renameOverFails) throw oserror(17);
      if (this.entries.get(to) === null) await this.rmdir(to);
    }
    for (const key of [...this.entries.keys()]) {
      if (key === from || key.startsWith(`${from}/`)) {
        const data = this.entries.get(key)!;
        this.entries.delete(key);
        this.entries.set(to + key.slice(from.length), data);
      }
    }
    void moved;
  }

  async usage(): Promise<FsUsage> {
    const total = this.options.capacity ?? 1024 * 1024;
    return { blockSize: 4096, totalBytes: total, freeBytes: total - this.used() };
  }

  async hasDirectories(): Promise<boolean> {
    return !this.options.flat;
  }

  /** Text of a file, for assertions. */
  text(path: string): string {
    const data = this.entries.get(path);
    if (!data) throw new Error(`${path} is not a file on the memory board`);
    return Buffer.from(data).toString();
  }
}

/** What countingBoard reports. */
export interface CountingBoard {
  board: BoardFs;
  /** Calls by method name since the last `calls.clear()`. */
  calls: Map<string, number>;
  total(): number;
  /** Most calls ever in progress at once: 1 means the mount never interleaved board calls. */
  maxConcurrent(): number;
}

/**
 * Wraps a BoardFs and counts every call by method name ("round trips"). `latencyMs` makes each
 * call take that long, as a link would, so overlapping calls would show in maxConcurrent.
 */
export function countingBoard(inner: BoardFs, latencyMs = 0): CountingBoard {
  const calls = new Map<string, number>();
  let active = 0;
  let most = 0;
  const board = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || key === 'localDigest') return value;
      return async (...args: unknown[]) => {
        calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
        active++;
        most = Math.max(most, active);
        try {
          if (latencyMs > 0) await new Promise((done) => setTimeout(done, latencyMs));
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          active--;
        }
      };
    },
  });
  return {
    board,
    calls,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    maxConcurrent: () => most,
  };
}
