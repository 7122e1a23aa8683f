// src/fuse/open-files.ts: the per-open-file write buffers of a mount. Writes collect here in
// memory and reach the board in one atomic `writeFile` when the file is flushed or closed.

/** One open file: where it is now, and its bytes once loaded or written. */
export interface OpenFile {
  readonly fd: number;
  /** Current board path; follows renames. Undefined once the file was unlinked or replaced. */
  path: string | undefined;
  readonly writable: boolean;
  /** Backing store; only the first `length` bytes are the file. Undefined until loaded. */
  data: Uint8Array | undefined;
  length: number;
  /** Changed since the last flush. */
  dirty: boolean;
}

/** The table of open files, keyed by the fd number handed to the kernel. */
export class OpenFiles {
  private readonly files = new Map<number, OpenFile>();
  private nextFd = 1;

  /** Register a newly opened file. `data` is given when its content is already known (create). */
  open(path: string, writable: boolean, data?: Uint8Array): OpenFile {
    const file: OpenFile = {
      fd: this.nextFd++,
      path,
      writable,
      data,
      length: data?.length ?? 0,
      dirty: false,
    };
    this.files.set(file.fd, file);
    return file;
  }

  get(fd: number): OpenFile | undefined {
    return this.files.get(fd);
  }

  close(fd: number): void {
    this.files.delete(fd);
  }

  /** Open files at `path` or below it. */
  within(path: string): OpenFile[] {
    return [...this.files.values()].filter(
      (file) => file.path !== undefined && (file.path === path || file.path.startsWith(`${path}/`)),
    );
  }

  /** A buffered, not yet flushed version of `path`, if some open file holds one. */
  dirtyAt(path: string): OpenFile | undefined {
    return [...this.files.values()].find((file) => file.dirty && file.path === path);
  }

  /** Every file with unflushed writes, for unmount. */
  allDirty(): OpenFile[] {
    return [...this.files.values()].filter((file) => file.dirty && file.path !== undefined);
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
