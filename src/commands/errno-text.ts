// src/commands/errno-text.ts: which errno a board's OSError stands for, and the text a Linux host
// gives it (glibc's strerror), so file errors read as mpremote's: `cat: a.py: No such file or
// directory.` (mpremote maps the board's error by name first, then by MicroPython's numbers).
import { BoardError } from '../errors.js';

/** errno name -> [Linux number, strerror text]. MicroPython's py/mperrno.h uses the same numbers. */
const ERRNO: Record<string, [number, string]> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  ESRCH: [3, 'No such process'],
  EINTR: [4, 'Interrupted system call'],
  EIO: [5, 'Input/output error'],
  ENXIO: [6, 'No such device or address'],
  E2BIG: [7, 'Argument list too long'],
  ENOEXEC: [8, 'Exec format error'],
  EBADF: [9, 'Bad file descriptor'],
  ECHILD: [10, 'No child processes'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  ENOMEM: [12, 'Cannot allocate memory'],
  EACCES: [13, 'Permission denied'],
  EFAULT: [14, 'Bad address'],
  ENOTBLK: [15, 'Block device required'],
  EBUSY: [16, 'Device or resource busy'],
  EEXIST: [17, 'File exists'],
  EXDEV: [18, 'Invalid cross-device link'],
  ENODEV: [19, 'No such device'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EINVAL: [22, 'Invalid argument'],
  ENFILE: [23, 'Too many open files in system'],
  EMFILE: [24, 'Too many open files'],
  ENOTTY: [25, 'Inappropriate ioctl for device'],
  ETXTBSY: [26, 'Text file busy'],
  EFBIG: [27, 'File too large'],
  ENOSPC: [28, 'No space left on device'],
  ESPIPE: [29, 'Illegal seek'],
  EROFS: [30, 'Read-only file system'],
  EMLINK: [31, 'Too many links'],
  EPIPE: [32, 'Broken pipe'],
  EDOM: [33, 'Numerical argument out of domain'],
  ERANGE: [34, 'Numerical result out of range'],
  ENAMETOOLONG: [36, 'File name too long'],
  ENOTEMPTY: [39, 'Directory not empty'],
  ELOOP: [40, 'Too many levels of symbolic links'],
  EOPNOTSUPP: [95, 'Operation not supported'],
  EAFNOSUPPORT: [97, 'Address family not supported by protocol'],
  EADDRINUSE: [98, 'Address already in use'],
  ECONNABORTED: [103, 'Software caused connection abort'],
  ECONNRESET: [104, 'Connection reset by peer'],
  ENOBUFS: [105, 'No buffer space available'],
  EISCONN: [106, 'Transport endpoint is already connected'],
  ENOTCONN: [107, 'Transport endpoint is not connected'],
  ETIMEDOUT: [110, 'Connection timed out'],
  ECONNREFUSED: [111, 'Connection refused'],
  EHOSTUNREACH: [113, 'No route to host'],
  EALREADY: [114, 'Operation already in progress'],
  EINPROGRESS: [115, 'Operation now in progress'],
  ECANCELED: [125, 'Operation canceled'],
};

const BY_NUMBER = new Map(Object.values(ERRNO).map(([number, text]) => [number, text]));

/** The strerror text of a Linux errno number, undefined for one not in the table. */
export function errnoText(errno: number): string | undefined {
  return BY_NUMBER.get(errno);
}

/**
 * The errno of a board's OSError: by the name in its last line (`[Errno 2] ENOENT`), else by
 * its number (`OSError: 2`, boards built without errno names). Undefined for other errors.
 */
export function boardErrno(error: unknown): number | undefined {
  if (!(error instanceof BoardError) || error.type !== 'OSError') return undefined;
  for (const name of error.value.match(/\bE[A-Z0-9]+\b/g) ?? []) {
    const known = ERRNO[name];
    if (known) return known[0];
  }
  return error.errno;
}

/** The strerror text for a host (Node) file error such as `ENOENT`, by its code. */
export function localErrnoText(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ? ERRNO[code]?.[1] : undefined;
}
