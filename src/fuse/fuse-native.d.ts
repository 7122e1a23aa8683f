// src/fuse/fuse-native.d.ts: types for the parts of fuse-native 2.2 (a CommonJS native addon) we use.

declare module 'fuse-native' {
  /** Status first: 0 or a negative errno (`Fuse.ENOENT`). */
  export type StatusCallback = (status: number) => void;
  export type ValueCallback<T> = (status: number, value?: T) => void;

  /** What getattr answers; times as Date or ms since the epoch. */
  export interface FuseStat {
    mode: number;
    size: number;
    uid?: number;
    gid?: number;
    nlink?: number;
    blksize?: number;
    blocks?: number;
    mtime?: Date | number;
    atime?: Date | number;
    ctime?: Date | number;
  }

  export interface FuseStatfs {
    bsize: number;
    frsize: number;
    blocks: number;
    bfree: number;
    bavail: number;
    files: number;
    ffree: number;
    favail: number;
    fsid: number;
    flag: number;
    namemax: number;
  }

  /** The handlers fuse-native calls; each is optional. */
  export interface FuseOperations {
    init?(cb: StatusCallback): void;
    getattr?(path: string, cb: ValueCallback<FuseStat>): void;
    fgetattr?(path: string, fd: number, cb: ValueCallback<FuseStat>): void;
    readdir?(path: string, cb: (status: number, names?: string[]) => void): void;
    statfs?(path: string, cb: ValueCallback<FuseStatfs>): void;
    open?(path: string, flags: number, cb: ValueCallback<number>): void;
    create?(path: string, mode: number, cb: ValueCallback<number>): void;
    read?(
      path: string,
      fd: number,
      buffer: Buffer,
      length: number,
      position: number,
      cb: (bytesOrStatus: number) => void,
    ): void;
    write?(
      path: string,
      fd: number,
      buffer: Buffer,
      length: number,
      position: number,
      cb: (bytesOrStatus: number) => void,
    ): void;
    truncate?(path: string, size: number, cb: StatusCallback): void;
    ftruncate?(path: string, fd: number, size: number, cb: StatusCallback): void;
    flush?(path: string, fd: number, cb: StatusCallback): void;
    /** fuse-native passes `datasync` before `fd` (its README says otherwise). */
    fsync?(path: string, datasync: number, fd: number, cb: StatusCallback): void;
    release?(path: string, fd: number, cb: StatusCallback): void;
    unlink?(path: string, cb: StatusCallback): void;
    mkdir?(path: string, mode: number, cb: StatusCallback): void;
    rmdir?(path: string, cb: StatusCallback): void;
    rename?(from: string, to: string, cb: StatusCallback): void;
    utimens?(path: string, atime: number, mtime: number, cb: StatusCallback): void;
    chmod?(path: string, mode: number, cb: StatusCallback): void;
    chown?(path: string, uid: number, gid: number, cb: StatusCallback): void;
  }

  export interface FuseOptions {
    force?: boolean;
    mkdir?: boolean;
    displayFolder?: boolean | string;
    debug?: boolean;
    fsname?: string;
    subtype?: string;
    /** ms per operation before fuse-native answers ETIMEDOUT; per-op map or false for none. */
    timeout?: number | false | Record<string, number | false>;
  }

  /** Loaded with `import()`, so the CommonJS export arrives as `default`. */
  export default class Fuse {
    constructor(mountpoint: string, ops: FuseOperations, options?: FuseOptions);
    readonly mnt: string;
    mount(cb: (err: Error | null) => void): void;
    unmount(cb: (err: (Error & { unmountFailure?: boolean }) | null) => void): void;
    static unmount(mountpoint: string, cb: (err: Error | null) => void): void;
    static isConfigured(cb: (err: Error | null, configured: boolean) => void): void;
    static readonly EPERM: number;
    static readonly ENOENT: number;
    static readonly EIO: number;
    static readonly EBADF: number;
    static readonly EEXIST: number;
    static readonly ENOTDIR: number;
    static readonly EISDIR: number;
    static readonly EINVAL: number;
    static readonly ENOSPC: number;
    static readonly EROFS: number;
    static readonly ENOSYS: number;
    static readonly ENOTEMPTY: number;
    static readonly EOPNOTSUPP: number;
    static readonly ETIMEDOUT: number;
  }
}
