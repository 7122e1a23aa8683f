// src/board/types.ts: the contract of the board layer (file operations over the REPL) that
// commands, watch (src/sync) and mount (src/fuse) are written against.

/** One directory entry as the board reports it. */
export interface DirEntry {
  name: string;
  kind: 'file' | 'dir';
  /** Bytes; 0 for folders. */
  size: number;
  /** Seconds since the epoch when the board knows it (`os.stat`), else undefined. */
  mtime?: number;
}

/** `os.stat` of a path, or what the board can tell without it. */
export interface FileStat {
  kind: 'file' | 'dir';
  size: number;
  mtime?: number;
}

/** `os.statvfs` in bytes. Boards without it (micro:bit) only know the bytes in files: then
 * `blockSize` is 0, `totalBytes` and `freeBytes` undefined. */
export interface FsUsage {
  blockSize: number;
  totalBytes: number | undefined;
  freeBytes: number | undefined;
  /** Bytes in files, when that is all the board can tell. */
  usedBytes?: number;
}

/** Per-file state used to skip unchanged files: sha256 hex where the board has hashlib, else
 * `size:checksum` computed by the board helper (the same function on host and board). */
export interface RemoteFile {
  path: string;
  size: number;
  digest: string;
}

export interface WriteOptions {
  /** Progress: payload bytes sent so far out of the total. */
  onProgress?: (sent: number, total: number) => void;
  /** Ctrl-C: `writeFile` stops mid-upload and rejects with the signal's reason, the board left
   * at its raw prompt with the old file and no temp file; `readFile` likewise stops a download.
   * (Binary transfers; the text protocols of boards without binary stdin/stdout move their
   * small files whole.) */
  signal?: AbortSignal | undefined;
  /** `writeFile` only: write the target itself, by the text protocol, with no temp file, and
   * check its digest after. For a micro:bit v1, whose flash cannot hold a file twice: a cut
   * leaves the target cut short (its old content is gone from the first chunk on). */
  direct?: boolean | undefined;
}

/** A whole tree for `writeTree`: absolute board paths. */
export interface TreeWrite {
  /** Folders to make where missing (with their parents), e.g. empty ones; the folders holding
   * the files are made too. */
  folders: string[];
  /** Files in the order `onFile` reports them. */
  files: { path: string; data: Uint8Array }[];
  /** Send every file, also those the board holds already (`cp -f`, or a planned sync). */
  force?: boolean;
  /** Each file's fate, in order, once the board has said which it holds: `true` when it is
   * sent, `false` when the board holds it already. Called before any file is written. */
  onFile?(path: string, sent: boolean): void;
  /** Content bytes of the sent files so far, of their total. */
  onProgress?: (sent: number, total: number) => void;
}

/** A text edit for `patchFile`: replace `deleteCount` bytes at byte offset `at` with `insert`. */
export interface PatchOp {
  at: number;
  deleteCount: number;
  insert: Uint8Array;
}

/** Which compiled modules the board loads, as it says. */
export interface MpyTarget {
  /** `sys.implementation._mpy` (low byte: the .mpy version; the native arch above), undefined
   * where the firmware has none (it loads no .mpy files, or predates the attribute). */
  mpy: number | undefined;
  /** `sys.implementation.version` as `1.27.0`, empty when the board does not say. */
  firmware: string;
}

/**
 * File operations on the board. Every path is an absolute board path (`/lib/x.py`). Errors are
 * `BoardError` with `errno` set (2 ENOENT, 17 EEXIST, 20 ENOTDIR, 21 EISDIR, 28 ENOSPC, 39
 * ENOTEMPTY, 1 EPERM/95 EOPNOTSUPP where there are no folders), or `TransportError`/`TimeoutError`.
 */
export interface BoardFs {
  /** Entries of a folder with sizes, in one round trip. */
  listDir(path: string): Promise<DirEntry[]>;
  /** Undefined when the path does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  readFile(path: string, options?: WriteOptions): Promise<Uint8Array>;
  /** Atomic and verified: temp name, digest check, rename over the target. */
  writeFile(path: string, data: Uint8Array, options?: WriteOptions): Promise<void>;
  /**
   * Apply edits to an existing file atomically on the board, then check the result's digest
   * against `expectedDigest`. Returns false (board file untouched) when the base or result
   * digest does not match, so the caller can fall back to `writeFile`. `baseSize`, the old
   * file's length where the caller knows it, lets a small file be edited in one exec.
   */
  patchFile(
    path: string,
    baseDigest: string,
    ops: PatchOp[],
    expectedDigest: string,
    baseSize?: number,
  ): Promise<boolean>;
  /** Digest of one file (see RemoteFile.digest), undefined if missing. */
  digest(path: string): Promise<string | undefined>;
  /**
   * Write a whole tree, skipping files the board holds already (by digest), each file atomic and
   * verified as with `writeFile`, in a few round trips for the whole tree. Resolves false, having
   * changed nothing the caller sees (no `onFile` call), when the board cannot take a tree at once
   * (no deflate, a small heap, a file where a folder goes or the reverse): then write file by
   * file, which says what is wrong as it always did. Optional: in-memory test boards lack it.
   */
  writeTree?(tree: TreeWrite): Promise<boolean>;
  /** Every file below `root` with size and digest, one round trip per folder at most.
   * `digestPrefix`: only the first that many characters of each sha256 digest (a board whose
   * digest is a checksum gives it whole), for a caller that matches them against its own. */
  digestTree(root: string, options?: { digestPrefix?: number }): Promise<RemoteFile[]>;
  /** The same digest computed on the host, so callers can compare without the board. */
  localDigest(data: Uint8Array): string;
  remove(path: string): Promise<void>;
  /** Remove a file or a whole folder tree. */
  removeTree(path: string): Promise<void>;
  mkdir(path: string, options?: { parents?: boolean }): Promise<void>;
  rmdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  usage(path?: string): Promise<FsUsage>;
  /** True when the board has folders (false on flat filesystems like the micro:bit's). */
  hasDirectories(): Promise<boolean>;
  /** Send ahead what the board needs for `use`, so the first operation of that kind costs no
   * more than later ones (`watch`: reading the tree and patching; `patch`: patching only). */
  prepare?(use: 'watch' | 'patch'): Promise<void>;
  /** The board's current folder (`os.getcwd()`), absolute; `/` where the board has none.
   * Optional so in-memory boards in tests need not have it (callers then use `/`). */
  currentFolder?(): Promise<string>;
  /** The .mpy version the board loads (`--mpy`), asked once per connection. Optional so
   * in-memory boards in tests need not have it (callers then refuse `--mpy`). */
  mpyTarget?(): Promise<MpyTarget>;
}
