// src/fuse/errno.ts: Linux errno numbers the mount answers with, and the mapping from board and
// link errors to them.
import { BoardError, TimeoutError } from '../errors.js';

export const EPERM = 1;
export const ENOENT = 2;
export const EIO = 5;
export const EBADF = 9;
export const EEXIST = 17;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENOSPC = 28;
export const EROFS = 30;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const EOPNOTSUPP = 95;
export const ETIMEDOUT = 110;

/** An operation failed with a specific errno (positive, as in C). */
export class FsError extends Error {
  constructor(
    readonly errno: number,
    message = `errno ${errno}`,
  ) {
    super(message);
    this.name = 'FsError';
  }
}

/** Board errno values the kernel understands as they are; anything else becomes EIO. */
const PASSED_THROUGH = new Set([
  EPERM,
  ENOENT,
  EEXIST,
  ENOTDIR,
  EISDIR,
  EINVAL,
  ENOSPC,
  EROFS,
  ENOTEMPTY,
  EOPNOTSUPP,
]);

/** The errno for any error an operation threw; `unexpected` is true when it deserves a log line. */
export function errnoOf(error: unknown): { errno: number; unexpected: boolean } {
  if (error instanceof FsError) return { errno: error.errno, unexpected: false };
  if (error instanceof BoardError && error.errno !== undefined) {
    if (PASSED_THROUGH.has(error.errno)) return { errno: error.errno, unexpected: false };
    return { errno: EIO, unexpected: true };
  }
  if (error instanceof TimeoutError) return { errno: ETIMEDOUT, unexpected: true };
  return { errno: EIO, unexpected: true };
}
