// src/board/board.ts: file operations on a MicroPython board, written on top of the raw REPL.
// The board-side half is the helper in ./py/ (sent once per connection, kept in RAM as `_mpy`);
// every path reaches it as a literal from ./py-literal.ts.
import { deflateRawSync } from 'node:zlib';
import { BoardError, type MpyError, TransportError } from '../errors.js';
import type { Capabilities, Repl } from '../repl/types.js';
import { type DigestKind, digestOf } from './digest.js';
import { DEFLATE_WBITS, HelperLoader } from './helper-loader.js';
import { patchSegments } from './patch-segments.js';
import { normalizeBoardPath, tempPathFor } from './paths.js';
import { pyCall, pyStr, pyValue } from './py-literal.js';
import { type PyParsed, parsePyRepr, parsePyReprLines } from './py-repr.js';
import type { HelperPart } from './py-source.js';
import {
  decodeTextLines,
  driveExecution,
  hasInterruptWindow,
  receiveFramed,
  sendWindowed,
  textUploadCode,
} from './transfer.js';
import type {
  BoardFs,
  DirEntry,
  FileStat,
  FsUsage,
  PatchOp,
  RemoteFile,
  WriteOptions,
} from './types.js';

/** Tuning of the transfer protocols; the defaults suit a 115200-baud UART. */
export interface BoardOptions {
  /** Upload window in bytes (the board's guaranteed receive buffer; raw-paste's is 128). */
  window?: number;
  /** Unacknowledged windows allowed in flight. */
  inFlight?: number;
  /** Payload bytes per exec for boards without binary stdin. Default by free RAM. */
  textChunk?: number;
  /** Compress uploads with deflate where the board has it and it saves > 5 %. Default true. */
  compress?: boolean;
  /** Use raw binary stdin/stdout where the board has them. Default true; false forces the text
   * protocol of boards without them (for tests, or links that mangle bytes). */
  binary?: boolean;
}

const TEXT_DECODER = new TextDecoder();

function errnoOf(error: unknown): number | undefined {
  return error instanceof BoardError ? error.errno : undefined;
}

/** File operations over a raw REPL; see `BoardFs` in ./types.ts for each method's contract. */
export class Board implements BoardFs {
  private readonly helpers = new HelperLoader(
    () => this.capabilities(),
    (code) => this.repl.exec(code),
  );
  private caps: Capabilities | undefined;
  private digestKind: DigestKind = 'sha256';
  private readonly options: Required<Omit<BoardOptions, 'textChunk'>> & { textChunk?: number };

  constructor(
    readonly repl: Repl,
    options: BoardOptions = {},
  ) {
    this.options = { window: 128, inFlight: 2, compress: true, binary: true, ...options };
  }

  /** The board's capabilities (probed once by the REPL layer). */
  async capabilities(): Promise<Capabilities> {
    if (!this.caps) {
      this.caps = await this.repl.capabilities();
      this.digestKind = this.caps.hashlib ? 'sha256' : 'adler';
    }
    return this.caps;
  }

  /** Map an absolute board path to what the board's `open` takes: flat filesystems
   * (micro:bit) have no folders and no leading slash. */
  private async wire(path: string): Promise<string> {
    const normal = normalizeBoardPath(path);
    const caps = await this.capabilities();
    return caps.directories ? normal : normal.slice(1);
  }

  private fromWire(path: string): string {
    return path.startsWith('/') ? path : `/${path}`;
  }

  /** Exec `code` with helpers loaded; returns its stdout as text. */
  private async run(parts: HelperPart[], code: string): Promise<string> {
    return this.helpers.with(parts, async (prelude) =>
      TEXT_DECODER.decode(await this.repl.exec(prelude.code + code)),
    );
  }

  /** Call `_mpy.<fn>(args)` and parse the repr it returns. */
  private async call(parts: HelperPart[], fn: string, ...args: string[]): Promise<PyParsed> {
    const out = await this.run(parts, `_mpy.r(_mpy.${fn}(${args.join(',')}))\n`);
    return parsePyRepr(out);
  }

  async listDir(path: string): Promise<DirEntry[]> {
    const rows = (await this.call(['fs'], 'ls', pyStr(await this.wire(path)))) as PyParsed[];
    return rows.map((row) => {
      const [name, kind, size, mtime] = row as [string, string, number, number | null];
      const entry: DirEntry = { name, kind: kind === 'd' ? 'dir' : 'file', size };
      if (typeof mtime === 'number') entry.mtime = mtime;
      if (entry.kind === 'dir') entry.size = 0;
      return entry;
    });
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const row = await this.call([], 'st', pyStr(await this.wire(path)));
    if (row === null) return undefined;
    const [kind, size, mtime] = row as [string, number, number | null];
    const stat: FileStat = { kind: kind === 'd' ? 'dir' : 'file', size: kind === 'd' ? 0 : size };
    if (typeof mtime === 'number') stat.mtime = mtime;
    return stat;
  }

  async readFile(path: string, options: WriteOptions = {}): Promise<Uint8Array> {
    const caps = await this.capabilities();
    const target = await this.wire(path);
    if (caps.stdoutBuffer && this.options.binary) {
      return this.helpers.with(['get'], async (prelude) => {
        const code = await prelude.startCode('get', pyCall('_mpy.get', target));
        return driveExecution(await this.repl.start(code), async (execution) => {
          const data = await receiveFramed(execution, options.onProgress);
          await execution.finish();
          return data;
        });
      });
    }
    const out = await this.run(['text'], `_mpyc.g(${pyStr(target)},${caps.binascii ? 48 : 32})\n`);
    const data = decodeTextLines(out, caps.binascii);
    options.onProgress?.(data.length, data.length);
    return data;
  }

  async writeFile(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    const caps = await this.capabilities();
    const target = await this.wire(path);
    const temp = await this.wire(tempPathFor(normalizeBoardPath(path)));
    const digest = this.localDigest(data);
    const binary = caps.stdinBuffer && caps.stdoutBuffer && caps.kbdIntr && this.options.binary;
    const committed = binary
      ? await this.writeWindowed(target, temp, data, digest, options)
      : await this.writeText(target, temp, data, digest, options);
    if (committed !== true) {
      throw new TransportError(`${path}: the board's copy did not match after the upload`);
    }
  }

  private async writeWindowed(
    target: string,
    temp: string,
    data: Uint8Array,
    digest: string,
    options: WriteOptions,
  ): Promise<PyParsed> {
    const caps = await this.capabilities();
    let wire = data;
    let wbits = 0;
    if (this.options.compress && caps.deflate && data.length > 256) {
      const packed = deflateRawSync(data, { windowBits: DEFLATE_WBITS, level: 9 });
      if (packed.length < data.length * 0.95) {
        wire = new Uint8Array(packed);
        wbits = DEFLATE_WBITS;
      }
    }
    const { window, inFlight } = this.options;
    if (hasInterruptWindow(wire, window))
      return this.writeText(target, temp, data, digest, options);
    const total = data.length;
    return this.helpers.with(['put'], async (prelude) => {
      const call = pyCall('_mpy.put', temp, target, wire.length, window, wbits, digest);
      const started = await this.repl.start(await prelude.startCode('put', call));
      return driveExecution(started, async (execution) => {
        await sendWindowed(execution, wire, { window, inFlight }, (sent) =>
          options.onProgress?.(Math.round((sent / Math.max(wire.length, 1)) * total), total),
        );
        return parsePyRepr(TEXT_DECODER.decode(await execution.finish()));
      });
    });
  }

  private async writeText(
    target: string,
    temp: string,
    data: Uint8Array,
    digest: string,
    options: WriteOptions,
  ): Promise<PyParsed> {
    const caps = await this.capabilities();
    const chunk = this.options.textChunk ?? (caps.memFree < 64 * 1024 ? 256 : 2048);
    const codes = textUploadCode(temp, data, chunk, caps.binascii);
    return this.helpers.with(['text'], async (prelude) => {
      for (const [i, code] of codes.entries()) {
        await this.execChunk(`${i === 0 ? prelude.code : ''}${code}\n`);
        options.onProgress?.(Math.min((i + 1) * chunk, data.length), data.length);
      }
      const out = await this.repl.exec(`${pyCall('_mpyc.c', target, digest)}\n`);
      return parsePyRepr(TEXT_DECODER.decode(out));
    });
  }

  /**
   * One exec of a text upload. Boards without raw-paste get code paced, with no flow control,
   * so a busy board can drop a byte: a SyntaxError means nothing ran, and the chunk is sent
   * again. A byte lost inside a literal is caught by the digest check at the end.
   */
  private async execChunk(code: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.repl.exec(code);
        return;
      } catch (error) {
        if (!(error instanceof BoardError && error.type === 'SyntaxError') || attempt === 3) {
          throw error;
        }
      }
    }
  }

  async patchFile(
    path: string,
    baseDigest: string,
    ops: PatchOp[],
    expectedDigest: string,
  ): Promise<boolean> {
    const caps = await this.capabilities();
    const segments = patchSegments(ops);
    const inserted = segments.reduce((n, s) => n + (s instanceof Uint8Array ? s.length : 0), 0);
    // inserted bytes travel as literals in one exec: keep that within a small board's heap
    if (inserted > Math.min(32768, caps.memFree / 8)) return false;
    const target = await this.wire(path);
    const temp = await this.wire(tempPathFor(normalizeBoardPath(path)));
    try {
      const args = [target, temp, baseDigest, segments, expectedDigest].map(pyValue);
      return (await this.call(['patch'], 'patch', ...args)) === true;
    } catch (error) {
      if (errnoOf(error) === 2) return false;
      throw error;
    }
  }

  async digest(path: string): Promise<string | undefined> {
    try {
      return String(await this.call([], 'dg', pyStr(await this.wire(path))));
    } catch (error) {
      if (errnoOf(error) === 2) return undefined;
      throw error;
    }
  }

  async digestTree(root: string): Promise<RemoteFile[]> {
    const out = await this.run(['fs'], `_mpy.tree(${pyStr(await this.wire(root))})\n`);
    return parsePyReprLines(out).map((row) => {
      const [path, size, digest] = row as [string, number, string];
      return { path: this.fromWire(path), size, digest };
    });
  }

  localDigest(data: Uint8Array): string {
    return digestOf(this.digestKind, data);
  }

  async remove(path: string): Promise<void> {
    await this.call(['fs'], 'rm', pyStr(await this.wire(path)));
  }

  async removeTree(path: string): Promise<void> {
    await this.call(['fs'], 'rmt', pyStr(await this.wire(path)));
  }

  async mkdir(path: string, options: { parents?: boolean } = {}): Promise<void> {
    if (!(await this.hasDirectories())) throw noFolders(path);
    await this.call(['fs'], 'mkd', pyStr(await this.wire(path)), pyValue(!!options.parents));
  }

  async rmdir(path: string): Promise<void> {
    if (!(await this.hasDirectories())) throw noFolders(path);
    await this.call(['fs'], 'rmd', pyStr(await this.wire(path)));
  }

  async rename(from: string, to: string): Promise<void> {
    await this.call(['fs'], 'mv', pyStr(await this.wire(from)), pyStr(await this.wire(to)));
  }

  async usage(path = '/'): Promise<FsUsage> {
    const [blockSize, totalBytes, freeBytes] = (await this.call(
      ['fs'],
      'df',
      pyStr(await this.wire(path)),
    )) as number[];
    return { blockSize: blockSize!, totalBytes: totalBytes!, freeBytes: freeBytes! };
  }

  async hasDirectories(): Promise<boolean> {
    return (await this.capabilities()).directories;
  }

  async currentFolder(): Promise<string> {
    // micro:bit's os has no getcwd: its flat filesystem is all at the root
    const root = pyStr('/');
    const folder = await this.repl.eval(
      `__import__('os').getcwd() if hasattr(__import__('os'),'getcwd') else ${root}`,
    );
    return typeof folder === 'string' && folder.startsWith('/') ? normalizeBoardPath(folder) : '/';
  }
}

function noFolders(path: string): MpyError {
  return new BoardError('OSError', '[Errno 95] EOPNOTSUPP', `${path}: this board has no folders`);
}
