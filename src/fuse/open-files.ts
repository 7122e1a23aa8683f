// src/fuse/open-files.ts: the open files of a mount. Like an inode, one OpenFile per path is
// shared by every fd open on it, so writes through one fd are seen through the others; writes
// collect in its memory buffer and reach the board in one atomic `writeFile` on flush.

/** One open file: where it is now, and its bytes once loaded or written. */
export interface OpenFile {
  /** Current board path; follows renames. Undefined once the file was unlinked or replaced. */
  path: string | undefined;
  /** Backing store; only the first `length` bytes are the file. Undefined until loaded. */
  data: Uint8Array | undefined;
  length: number;
  /** Changed since the last flush. */
  dirty: boolean;
  /** Open fds on it; the file is forgotten when the last one is released. */
  handles: number;
}

/** One fd handed to the kernel. */
export interface Handle {
  readonly fd: number;
  readonly file: OpenFile;
  readonly writable: boolean;
}

/** The table of open fds and the files they share. */
export class OpenFiles {
  private readonly handles = new Map<number, Handle>();
  private nextFd = 1;

  /** Open `path`, sharing the file with fds already open on it. `data` replaces its content
   * (a created or truncated file), marking it dirty. */
  open(path: string, writable: boolean, data?: Uint8Array): Handle {
    const file = this.at(path) ?? { path, data: undefined, length: 0, dirty: false, handles: 0 };
    if (data) {
      file.data = data;
      file.length = data.length;
      file.dirty = true;
    }
    file.handles++;
    const handle: Handle = { fd: this.nextFd++, file, writable };
    this.handles.set(handle.fd, handle);
    return handle;
  }

  get(fd: number): Handle | undefined {
    return this.handles.get(fd);
  }

  close(fd: number): void {
    const handle = this.handles.get(fd);
    if (!handle) return;
    handle.file.handles--;
    this.handles.delete(fd);
  }

  /** The open file at exactly `path`. */
  at(path: string): OpenFile | undefined {
    return this.files().find((file) => file.path === path);
  }

  /** Open files at `path` or below it. */
  within(path: string): OpenFile[] {
    return this.files().filter(
      (file) => file.path !== undefined && (file.path === path || file.path.startsWith(`${path}/`)),
    );
  }

  /** Every file with unflushed writes, for unmount. */
  allDirty(): OpenFile[] {
    return this.files().filter((file) => file.dirty && file.path !== undefined);
  }

  private files(): OpenFile[] {
    return [...new Set([...this.handles.values()].map((handle) => handle.file))];
  }
}

/** The file's bytes as one exact-length view (no copy). */
export function fileBytes(file: OpenFile): Uint8Array {
  return (file.data ?? new Uint8Array(0)).subarray(0, file.length);
}

/** Copy `chunk` into the file at `position`, growing it (zero-filled) as needed. */
export function writeAt(file: OpenFile, chunk: Uint8Array, position: number): void {
  const end = position + chunk.length;
  ensureCapacity(file, end);
  file.data!.set(chunk, position);
  file.length = Math.max(file.length, end);
  file.dirty = true;
}

/** Cut or zero-extend the file to `size` bytes. */
export function resize(file: OpenFile, size: number): void {
  ensureCapacity(file, size);
  if (size < file.length) file.data!.fill(0, size, file.length);
  file.length = size;
  file.dirty = true;
}

function ensureCapacity(file: OpenFile, size: number): void {
  const data = file.data ?? new Uint8Array(0);
  if (data.length >= size) {
    file.data = data;
    return;
  }
  // Doubling keeps a stream of 4 KB kernel writes linear instead of quadratic.
  const grown = new Uint8Array(Math.max(size, data.length * 2, 4096));
  grown.set(data.subarray(0, file.length));
  file.data = grown;
}
