// src/commands/remote-folder.ts: the host side of mpremote's `mount DIR`: a computer folder the
// board sees at /remote. The board's VFS (py/rfs.py) asks through its output; RemoteFolder takes
// those requests out of the output stream (`feed`), serves them from the folder and answers on
// the board's stdin. Paths stay inside the folder (symbolic links too, unless allowed).
import {
  closeSync,
  type Dirent,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { type PythonValue, parsePythonLiteral } from '../repl/literal.js';

/** Where the folder appears on the board, as in mpremote. */
export const REMOTE_MOUNT_POINT = '/remote';

/** The folder a command context has mounted on the board, if any (set by mount-local). */
export const servedFolders = new WeakMap<object, RemoteFolder>();

/** True when `path` (absolute, on the board) is in the mounted computer folder. */
export function inRemoteFolder(path: string): boolean {
  return path === REMOTE_MOUNT_POINT || path.startsWith(`${REMOTE_MOUNT_POINT}/`);
}

const CAN = 0x18;
const NEWLINE = 0x0a;
const EBADF = 9;
const EINVAL = 22;
const EACCES = 13;
const encoder = new TextEncoder();

/** A failure to answer with: its errno. */
class Refused extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

function errnoOf(error: unknown): number {
  if (error instanceof Refused) return error.errno;
  const code = (error as NodeJS.ErrnoException).code;
  const known = code ? (constants.errno as Record<string, number>)[code] : undefined;
  return known ?? 5;
}

/** Node's open flags for a Python file mode. */
function flagsOf(mode: string): string {
  const plus = mode.includes('+') ? '+' : '';
  if (mode.includes('w')) return `w${plus}`;
  if (mode.includes('a')) return `a${plus}`;
  if (mode.includes('x')) return `wx${plus}`;
  return `r${plus}`;
}

export interface RemoteFolderOptions {
  /** Follow symbolic links that lead out of the folder (mpremote's `--unsafe-links`). */
  unsafeLinks?: boolean;
}

/** One computer folder served to the board. */
export class RemoteFolder {
  readonly root: string;
  private readonly files = new Map<number, number>();
  private nextHandle = 1;
  /** Bytes of a request being read (after its 0x18), or undefined between requests. */
  private pending: number[] | undefined;
  /** Answers are written in order, one request at a time. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    root: string,
    private readonly options: RemoteFolderOptions = {},
  ) {
    this.root = realpathSync(resolve(root));
  }

  /**
   * Take the board's output: returns what is for the user, and answers each request in it
   * through `reply` (the board's stdin). A 0x18 not followed by a request is output.
   */
  feed(data: Uint8Array, reply: (answer: Uint8Array) => Promise<void>): Uint8Array {
    const shown: number[] = [];
    for (const byte of data) {
      if (this.pending) {
        if (byte !== NEWLINE) {
          this.pending.push(byte);
          continue;
        }
        const text = new TextDecoder().decode(Uint8Array.from(this.pending));
        this.pending = undefined;
        const request = this.parse(text);
        if (!request) {
          shown.push(CAN, ...encoder.encode(text), NEWLINE);
          continue;
        }
        this.queue = this.queue.then(() => reply(this.answer(request))).catch(() => {});
      } else if (byte === CAN) this.pending = [];
      else shown.push(byte);
    }
    return Uint8Array.from(shown);
  }

  /** Close what the board left open. */
  close(): void {
    for (const fd of this.files.values()) closeSync(fd);
    this.files.clear();
  }

  private parse(text: string): PythonValue[] | undefined {
    if (!text.startsWith('(')) return undefined;
    try {
      const value = parsePythonLiteral(text);
      return Array.isArray(value) && typeof value[0] === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** The answer frame to one request. */
  answer(request: PythonValue[]): Uint8Array {
    let status = 0;
    let payload: Uint8Array;
    try {
      const result = this.serve(request);
      payload = typeof result === 'string' ? encoder.encode(result) : result;
    } catch (error) {
      status = 1;
      payload = encoder.encode(String(errnoOf(error)));
    }
    // 0x18 first: the board drops what comes before it (keys typed ahead in the REPL)
    const frame = new Uint8Array(6 + payload.length);
    frame[0] = CAN;
    frame[1] = status;
    new DataView(frame.buffer).setUint32(2, payload.length, true);
    frame.set(payload, 6);
    return frame;
  }

  private serve([op, ...args]: PythonValue[]): string | Uint8Array {
    const path = () => this.local(String(args[0]));
    switch (op) {
      case 's': {
        const stat = statSync(path());
        const mode = stat.isDirectory() ? 0x4000 : 0x8000;
        return `${mode} ${stat.size} ${Math.floor(stat.mtimeMs / 1000)}`;
      }
      case 'ls':
        return readdirSync(path(), { withFileTypes: true })
          .map((entry: Dirent) => `${this.isFolder(entry) ? 'd' : 'f'}${entry.name}\0`)
          .join('');
      case 'cd': {
        const where = path();
        if (!statSync(where).isDirectory()) throw new Refused(20);
        return `/${relative(this.root, where).split(sep).join('/')}`;
      }
      case 'o': {
        const fd = openSync(path(), flagsOf(String(args[1] ?? 'r')));
        if (fstatSync(fd).isDirectory()) {
          closeSync(fd);
          throw new Refused(21);
        }
        const handle = this.nextHandle++;
        this.files.set(handle, fd);
        return String(handle);
      }
      case 'r':
        return this.read(this.fd(args[0]), Number(args[1]));
      case 'l':
        return this.readLine(this.fd(args[0]));
      case 'w': {
        const data = args[1];
        if (!(data instanceof Uint8Array)) throw new Refused(EINVAL);
        return String(writeSync(this.fd(args[0]), data));
      }
      case 'c': {
        closeSync(this.fd(args[0]));
        this.files.delete(Number(args[0]));
        return '';
      }
      case 'md':
        mkdirSync(path());
        return '';
      case 'rd':
        rmdirSync(path());
        return '';
      case 'rm':
        unlinkSync(path());
        return '';
      case 'mv':
        renameSync(path(), this.local(String(args[1])));
        return '';
      default:
        throw new Refused(EINVAL);
    }
  }

  private isFolder(entry: Dirent): boolean {
    if (entry.isDirectory()) return true;
    if (!entry.isSymbolicLink()) return false;
    try {
      return statSync(join(entry.parentPath, entry.name)).isDirectory();
    } catch {
      return false;
    }
  }

  private fd(handle: PythonValue): number {
    const fd = this.files.get(Number(handle));
    if (fd === undefined) throw new Refused(EBADF);
    return fd;
  }

  private read(fd: number, size: number): Uint8Array {
    if (size >= 0) {
      const buffer = new Uint8Array(size);
      return buffer.subarray(0, readSync(fd, buffer, 0, size, null));
    }
    const chunks: Uint8Array[] = [];
    for (;;) {
      const buffer = new Uint8Array(65536);
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      chunks.push(buffer.subarray(0, n));
    }
    return Buffer.concat(chunks);
  }

  private readLine(fd: number): Uint8Array {
    const bytes: number[] = [];
    const one = new Uint8Array(1);
    while (readSync(fd, one, 0, 1, null) === 1) {
      bytes.push(one[0]!);
      if (one[0] === NEWLINE) break;
    }
    return Uint8Array.from(bytes);
  }

  /** The computer's path for a path on the board under the mount point; never outside it. */
  private local(boardPath: string): string {
    const parts: string[] = [];
    for (const part of boardPath.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop();
      else parts.push(part);
    }
    const path = join(this.root, ...parts);
    if (!this.options.unsafeLinks) {
      // a link that leads out of the folder is refused, as mpremote does without --unsafe-links
      let real: string;
      try {
        real = realpathSync(path);
      } catch {
        // a name still to be made: its folder must be inside
        try {
          real = join(realpathSync(dirname(path)), basename(path));
        } catch {
          return path;
        }
      }
      const inside = relative(this.root, real);
      if (inside.startsWith('..') || resolve(this.root, inside) !== real) {
        throw new Refused(EACCES);
      }
    }
    return path;
  }
}
