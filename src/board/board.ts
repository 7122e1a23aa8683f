// src/board/board.ts: file operations on a MicroPython board, written on top of the raw REPL.
// The board-side half is the helper in ./py/ (sent in parts as needed, kept in RAM as `_mpy`,
// reused by the next connection when it is the same version); every path reaches it as a
// literal from ./py-literal.ts. Fast paths (binary stdin/stdout, deflate, hashlib, rename) are
// confirmed by their first use and given up for the connection when the board does not behave.
import { deflateRawSync } from 'node:zlib';
import { BoardError, type MpyError, TimeoutError, TransportError } from '../errors.js';
import { isProbeAnswer, probeAnswerOf } from '../repl/raw-repl.js';
import type { Capabilities, ProbeAnswer, Repl } from '../repl/types.js';
import { type FileProtocol, WA_NAME_MAX } from '../transport/webrepl-files.js';
import { type DigestKind, digestKindOf, digestOf, sha256Hex } from './digest.js';
import {
  DEFLATE_WBITS,
  execResent,
  FREE_HELPER,
  HelperLoader,
  isSmall,
  packedCode,
} from './helper-loader.js';
import { isOnceUnsupported, listedEntries, onceCode, onceCommitCode, onceSource } from './once.js';
import { patchSegments } from './patch-segments.js';
import { needsShortTemp, normalizeBoardPath, relativeBoardPath, tempPathFor } from './paths.js';
import { pyBytes, pyCall, pyStr, pyValue } from './py-literal.js';
import { type PyParsed, parsePyRepr, parsePyReprLines } from './py-repr.js';
import { type HelperPart, helperVersion } from './py-source.js';
import {
  decodeTextLines,
  driveExecution,
  hasInterruptWindow,
  receiveFramed,
  SlowConfirm,
  sendWindowed,
  type TextChunk,
  textUploadCode,
} from './transfer.js';
import {
  canCompareTree,
  compareCall,
  encodeStream,
  manifestFits,
  parseCompare,
  STREAM_FROM,
  sendStream,
  streamCall,
  streamWbits,
  type TreeFile,
  treeFolders,
} from './tree-upload.js';
import type {
  BoardFs,
  DirEntry,
  FileStat,
  FsUsage,
  MpyTarget,
  PatchOp,
  RemoteFile,
  TreeWrite,
  WriteOptions,
} from './types.js';

/** Tuning of the transfer protocols; the defaults suit a 115200-baud UART. */
export interface BoardOptions {
  /** Upload window in bytes (the board's guaranteed receive buffer; raw-paste's is 128). */
  window?: number;
  /** Unacknowledged windows allowed in flight. */
  inFlight?: number;
  /**
   * Bytes the link itself keeps safe until the board reads them (TCP under WebREPL); unset for
   * a UART. Uploads then keep that much in flight in 256-byte windows (so the 512 Ctrl-Cs that
   * free a board stuck in a transfer, src/repl/enter.ts, still fill one), except on an ESP8266:
   * its WebREPL copies socket input into a 256-byte ring that drops what does not fit.
   */
  linkBuffer?: number;
  /**
   * WebREPL links: the board's own file protocol. Uploads use its PUT (to the temp name, then
   * verified by hash and renamed by the helper, as every upload) when `waUploads` is set.
   */
  files?: FileProtocol | undefined;
  /** Upload by `files` (WebREPL PUT) instead of the raw REPL, into folders known to exist.
   * Default false (the CLI sets it for WebREPL links unless `MPY_WEBREPL_FILES=0`). */
  waUploads?: boolean;
  /** Payload bytes per exec for boards without binary stdin. Default by free RAM. */
  textChunk?: number;
  /** Compress uploads with deflate where the board has it and it saves > 5 %. Default true. */
  compress?: boolean;
  /** Use raw binary stdin/stdout where the board has them. Default true; false forces the text
   * protocol of boards without them (for tests, or links that mangle bytes). */
  binary?: boolean;
  /** How long the first use of binary stdin/stdout may take to show it works. Default 1500 ms. */
  confirmMs?: number;
  /**
   * Downloads on a fresh board packed by the board itself (py/once/gz.py, a small LZ77 coder in
   * Python: source files to about half): worth it where the link is slower than the board's
   * CPU, as a UART bridge at 115200 is. Default true; the CLI turns it off for native USB and
   * network links (src/commands/context.ts).
   */
  packDownloads?: boolean;
  /** Told of every write before it starts and once it has ended (see WriteJournal). */
  journal?: WriteJournal;
}

/**
 * What a Board tells of its writes (src/commands/pending.ts keeps it on the computer): the board
 * folders a write may leave unfinished (as py/once/cm.py `_s` takes them: `/lib/`, `/`, or ``
 * for the board's current folder), before it starts; `end` once it has ended, done or refused
 * by the board (whose own cleanup then ran), not when the link or the board went away.
 */
export interface WriteJournal {
  begin(folders: string[]): void;
  end(folders: string[]): void;
}

/** The folder of `path` as py/once/cm.py `_s` sweeps it. */
function sweepFolderOf(path: string): string {
  const wire = path.startsWith('/') ? normalizeBoardPath(path) : relativeBoardPath(path);
  return wire.slice(0, wire.lastIndexOf('/') + 1);
}

/** Whether a fast path has shown it works on this connection. */
type Trial = 'untried' | 'works' | 'off';

/** One file upload as the protocols see it: wire paths, content, its digest, progress. */
interface Upload {
  target: string;
  temp: string;
  data: Uint8Array;
  digest: string;
  options: WriteOptions;
}

/** Free heap to size execs by; boards that do not say count as having room. */
function heapOf(caps: Capabilities): number {
  return caps.memFree < 0 ? 64 * 1024 : caps.memFree;
}

const TEXT_DECODER = new TextDecoder();

/** Bytes of files a micro:bit v1 holds before ENOSPC: 15,104 measured on a fresh board (one file
 * in 256-byte pieces), less room for the 128-byte chunks' headers of a few files. */
const MICROBIT_FLASH = 14_000;

/** Files up to this size go in one exec while nothing is known of the board (py/once/put.py):
 * the content travels inside the code, which a fresh board must compile whole, so only small
 * ones (the usual `cp main.py :`); larger ones take the windowed binary upload. */
const ONCE_PUT_MAX = 4096;

/** Digest prefix a patch is checked with: 64 bits tell an edit apart from any other content. */
const PATCH_DIGEST = 16;
/** The largest file edited in one exec (py/once/pt.py keeps the old and new content in RAM). */
const QUICK_PATCH_MAX = 32 * 1024;

/** The wire folder a wire path is in: `/` for `/x`, `` for a flat or relative `x`. */
function folderOf(wire: string): string {
  const cut = wire.lastIndexOf('/');
  return cut < 0 ? '' : cut === 0 ? '/' : wire.slice(0, cut);
}

function errnoOf(error: unknown): number | undefined {
  return error instanceof BoardError ? error.errno : undefined;
}

/** What the board's `open` takes for a board path: relative paths as they are, for the board to
 * resolve against its own folder (see relativeBoardPath); absolute ones normalized, without the
 * leading slash on a flat filesystem (micro:bit). */
function wirePath(path: string, directories: boolean): string {
  if (!path.startsWith('/')) return relativeBoardPath(path);
  const normal = normalizeBoardPath(path);
  return directories ? normal : normal.slice(1);
}

/** Upload window and windows in flight for this board on this link (see `linkBuffer`). */
export function flowFor(
  options: { window: number; inFlight: number; linkBuffer?: number | undefined },
  caps: Capabilities,
): { window: number; inFlight: number } {
  const room = options.linkBuffer ?? 0;
  const inFlight = Math.floor(room / LINK_WINDOW);
  if (caps.platform === 'esp8266' || inFlight <= options.inFlight) return options;
  return { window: LINK_WINDOW, inFlight };
}

/** Upload window on a link that keeps bytes safe itself (see `BoardOptions.linkBuffer`). */
const LINK_WINDOW = 256;

/** File operations over a raw REPL; see `BoardFs` in ./types.ts for each method's contract. */
export class Board implements BoardFs {
  private readonly helpers: HelperLoader;
  private caps: Promise<Capabilities> | undefined;
  private probe: ProbeAnswer | undefined;
  /** The board's folder, asked along with the resident helper's answer (lossless links only),
   * and the `codeSent` count after it: good only while no program has run since. */
  private residentFolder: { folder: string; sent: number | undefined } | undefined;
  private target: Promise<MpyTarget> | undefined;
  private digestKind: DigestKind = 'sha256';
  private binaryIn: Trial = 'untried';
  private binaryOut: Trial = 'untried';
  private deflateUploads = true;
  /** The one-exec programs of ./once.ts failed on this board: the full helper from now on. */
  private onceOff = false;
  /** py/once/pt.py failed on this board (no hashlib, a rename that cannot replace). */
  private quickPatchOff = false;
  /** False once the board failed to inflate a tree (./tree-upload.ts): file by file from then. */
  private treeUploads = true;
  private toldCopy = false;
  private toldWa = false;
  /** Wire folders this session knows exist (made or listed here): a WebREPL PUT into a missing
   * folder makes the board close the connection, so it is used only where the folder is known. */
  private readonly knownFolders = new Set<string>(['/', '']);
  private readonly options: Required<
    Omit<BoardOptions, 'textChunk' | 'linkBuffer' | 'files' | 'waUploads' | 'journal'>
  > &
    Pick<BoardOptions, 'textChunk' | 'linkBuffer' | 'files' | 'waUploads' | 'journal'>;

  constructor(
    readonly repl: Repl,
    options: BoardOptions = {},
  ) {
    this.options = {
      window: 128,
      inFlight: 2,
      compress: true,
      binary: true,
      confirmMs: 1500,
      packDownloads: true,
      ...options,
    };
    this.helpers = new HelperLoader({
      capabilities: () => this.capabilities(),
      probe: () => this.probe!,
      exec: (code) => this.repl.exec(code),
      debug: (line) => this.debug(line),
      softResets: () => this.repl.softResets ?? 0,
    });
  }

  /** The board's capabilities: from a helper an earlier connection left (one tiny exec), else
   * probed by the REPL layer. */
  capabilities(): Promise<Capabilities> {
    this.caps ??= this.learnCapabilities().catch((error: unknown) => {
      this.caps = undefined;
      throw error;
    });
    return this.caps;
  }

  private async learnCapabilities(): Promise<Capabilities> {
    let caps = await this.residentCapabilities();
    if (!caps) {
      caps = await this.repl.capabilities();
      this.probe = probeAnswerOf(caps);
    }
    this.digestKind = caps.hashlib ? 'sha256' : 'adler';
    if (isSmall(caps)) this.repl.setCleanup?.(FREE_HELPER);
    return caps;
  }

  /** What a helper left on the board by an earlier connection knows, if it is ours. */
  private async residentCapabilities(): Promise<Capabilities | undefined> {
    if (!this.repl.adoptCapabilities) return undefined;
    let found: PyParsed;
    try {
      found = await this.askResident();
    } catch (error) {
      if (error instanceof BoardError || error instanceof TransportError) return undefined;
      throw error;
    }
    if (!Array.isArray(found) || found.length !== 3) return undefined;
    const [version, probe, parts] = found;
    if (version !== helperVersion() || !isProbeAnswer(probe) || typeof parts !== 'string') {
      return undefined;
    }
    this.probe = probe;
    this.helpers.adopt(parts);
    this.debug(`reusing the helper an earlier connection left on the board (${parts.trim()})`);
    return this.repl.adoptCapabilities(probe);
  }

  /**
   * `_mpy.z()`'s answer. On a link that keeps bytes safe (WebREPL, where each exec is a round
   * trip of tens of ms) the board's folder comes with it, so `currentFolder` needs no exec of
   * its own: a short first exec goes out whole with its raw-paste request (code-sender.ts).
   */
  private async askResident(): Promise<PyParsed> {
    if (!this.options.linkBuffer) {
      return parsePyRepr(TEXT_DECODER.decode(await this.repl.exec('_mpy.z()\n')));
    }
    // getattr: a filesystem without getcwd answers '' (currentFolder asks nothing then).
    const out = await this.repl.exec(
      "_mpy.z()\n_mpy.r(getattr(__import__('os'),'getcwd',str)())\n",
    );
    const [found, folder] = parsePyReprLines(TEXT_DECODER.decode(out));
    if (typeof folder === 'string' && this.repl.codeSent !== undefined) {
      this.residentFolder = { folder, sent: this.repl.codeSent };
    }
    return found ?? null;
  }

  private debug(line: string): void {
    this.repl.debug?.(line);
  }

  /** Map an absolute board path to what the board's `open` takes: flat filesystems
   * (micro:bit) have no folders and no leading slash. */
  private async wire(path: string): Promise<string> {
    return wirePath(path, (await this.capabilities()).directories);
  }

  private fromWire(path: string): string {
    return path.startsWith('/') ? path : `/${path}`;
  }

  /**
   * Run a one-exec program of ./once.ts while nothing is known of the board yet (no probe ran,
   * so a simple command costs one exec); undefined when the board cannot run it, and from then
   * on for this connection: the caller takes the full path.
   */
  private async once<T>(
    work: (wire: (path: string) => string) => Promise<T>,
  ): Promise<{ value: T } | undefined> {
    if (this.onceOff || this.caps !== undefined) return undefined;
    // As `wire`, without the probe: a flat filesystem (no folders) fails the program anyway.
    const wire = (path: string) => wirePath(path, true);
    try {
      return { value: await work(wire) };
    } catch (error) {
      if (!isOnceUnsupported(error)) throw error;
      this.onceOff = true;
      this.debug(
        `one-exec program failed (${(error as BoardError).type}): the full helper from now on`,
      );
      return undefined;
    }
  }

  /** Exec a one-exec program and parse the repr it prints. */
  private async onceCall(op: Parameters<typeof onceCode>[0], ...args: string[]): Promise<PyParsed> {
    return parsePyRepr(TEXT_DECODER.decode(await this.repl.exec(onceCode(op, ...args))));
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
    const quick = await this.once(async (wire) => {
      let rows: PyParsed;
      try {
        rows = await this.onceCall('ls', pyStr(wire(path)));
      } catch (error) {
        // a file is ENOTDIR, as py/ls.py says it (FAT's and the sim's ilistdir say ENOENT)
        const errno = errnoOf(error);
        if (errno !== 2 && errno !== 20) throw error;
        const found = await this.onceCall('st', pyStr(wire(path)));
        if (Array.isArray(found) && found[0] === 'f') {
          throw new BoardError('OSError', '[Errno 20] ENOTDIR', `${path}: not a folder`);
        }
        throw error;
      }
      const entries = listedEntries(rows as unknown[][]);
      // 3-tuples (no size): the helper, which stats every file, lists it instead
      if (!entries) throw new BoardError('NotImplementedError', 'os.ilistdir without sizes', '');
      return entries;
    });
    if (quick) return quick.value;
    const wire = await this.wire(path);
    const rows = (await this.call(['ls'], 'ls', pyStr(wire))) as PyParsed[];
    this.knownFolders.add(wire);
    return rows.map((row) => {
      const [name, kind, size, mtime] = row as [string, string, number, number | null];
      const entry: DirEntry = { name, kind: kind === 'd' ? 'dir' : 'file', size };
      if (typeof mtime === 'number') entry.mtime = mtime;
      if (entry.kind === 'dir') entry.size = 0;
      return entry;
    });
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const quick = await this.once((wire) => this.onceCall('st', pyStr(wire(path))));
    const row = quick ? quick.value : await this.call([], 'st', pyStr(await this.wire(path)));
    if (row === null) return undefined;
    const [kind, size, mtime] = row as [string, number, number | null];
    const stat: FileStat = { kind: kind === 'd' ? 'dir' : 'file', size: kind === 'd' ? 0 : size };
    if (typeof mtime === 'number') stat.mtime = mtime;
    return stat;
  }

  async readFile(path: string, options: WriteOptions = {}): Promise<Uint8Array> {
    if (this.options.binary) {
      try {
        const quick = await this.once(async (wire) => {
          const code = onceCode('gz', pyStr(wire(path)), this.options.packDownloads ? '1' : '0');
          return driveExecution(await this.repl.start(code), async (execution) => {
            const data = await receiveFramed(
              execution,
              options.onProgress,
              this.options.confirmMs,
              options.signal,
            );
            await execution.finish();
            return data;
          });
        });
        if (quick) {
          this.binaryOut = 'works';
          return quick.value;
        }
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
        // sys.stdout.buffer exists but carries nothing: text downloads, after the probe
        this.onceOff = true;
        this.binaryOut = 'off';
        this.debug(`sys.stdout.buffer sent nothing (${error.message}): text downloads from now on`);
      }
    }
    const caps = await this.capabilities();
    const target = await this.wire(path);
    if (caps.stdoutBuffer && this.options.binary && this.binaryOut !== 'off') {
      try {
        const data = await this.readFramed(target, options);
        this.binaryOut = 'works';
        return data;
      } catch (error) {
        if (this.binaryOut === 'works' || !(error instanceof TimeoutError)) throw error;
        this.binaryOut = 'off';
        this.debug(`sys.stdout.buffer sent nothing (${error.message}): text downloads from now on`);
      }
    }
    const chunk = isSmall(caps) ? 128 : 480;
    let head = '';
    let lines = 0;
    const out = await this.helpers.with(['tget'], async (prelude) => {
      const code = `${prelude.code}_mpy.tg(${pyStr(target)},${chunk})\n`;
      const text = await this.repl.exec(code, {
        // progress a line at a time: the first line is the size
        onOutput: (data) => {
          if (lines === 0) head += TEXT_DECODER.decode(data.subarray(0, 32));
          for (const byte of data) if (byte === 0x0a) lines++;
          const total = Number.parseInt(head, 10);
          if (lines > 0 && total > 0) {
            options.onProgress?.(Math.min(total, (lines - 1) * chunk), total);
          }
        },
      });
      return TEXT_DECODER.decode(text);
    });
    const [size, ...rest] = out.split(/\r?\n/);
    const data = decodeTextLines(rest.join('\n'), caps.binascii);
    if (data.length !== Number(size)) {
      throw new TransportError(`${path}: ${data.length} of ${size} bytes came from the board`);
    }
    options.onProgress?.(data.length, data.length);
    return data;
  }

  private async readFramed(target: string, options: WriteOptions): Promise<Uint8Array> {
    const firstByteMs = this.binaryOut === 'works' ? undefined : this.options.confirmMs;
    return this.helpers.with(['get'], async (prelude) => {
      const code = await prelude.startCode('get', pyCall('_mpy.get', target));
      return driveExecution(await this.repl.start(code), async (execution) => {
        const data = await receiveFramed(
          execution,
          options.onProgress,
          firstByteMs,
          options.signal,
        );
        await execution.finish();
        return data;
      });
    });
  }

  /** Run a write into the folders of `paths` with the journal told (see WriteJournal). */
  private async journaled<T>(paths: string[], work: () => Promise<T>): Promise<T> {
    const journal = this.options.journal;
    if (!journal) return work();
    const folders = [...new Set(paths.map(sweepFolderOf))];
    journal.begin(folders);
    let ended = false;
    try {
      const result = await work();
      ended = true;
      return result;
    } catch (error) {
      // the board answered: its own cleanup ran (a Ctrl-C'd upload removes its temp file)
      ended = error instanceof BoardError;
      throw error;
    } finally {
      if (ended) journal.end(folders);
    }
  }

  async writeFile(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    return this.journaled([path], () => this.writeOne(path, data, options));
  }

  private async writeOne(path: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    if (options.direct) return this.writeDirect(path, data, options);
    // Only once the first exec showed raw-paste: the content travels in the code, which a
    // board without it (micro:bit v1) holds whole in its small heap before running it.
    if (data.length <= ONCE_PUT_MAX && !this.options.files && this.repl.rawPaste === 'yes') {
      const quick = await this.once((wire) => this.putOnce(wire(path), data));
      if (quick?.value === true) {
        options.onProgress?.(data.length, data.length);
        return;
      }
      if (quick) {
        // The board's digest differed (a hashlib that does not work gives its checksum): the
        // probing path, which follows the board's digest kind, does it again.
        this.onceOff = true;
        this.debug(`one-exec upload answered ${String(quick.value)}: the full helper from now on`);
      }
    }
    const target = await this.wire(path);
    const temp = tempPathFor(target);
    await this.checkRoom(path, data.length);
    for (let attempt = 0; ; attempt++) {
      const digest = this.localDigest(data);
      const result = await this.upload({ target, temp, data, digest, options });
      if (result === true || result === 2) {
        if (result === 2 && !this.toldCopy) {
          this.toldCopy = true;
          this.debug('no os.rename: files are replaced by copying the verified temp file');
        }
        return;
      }
      // A board whose hashlib does not work computes the checksum instead: follow it.
      const kind = typeof result === 'string' ? digestKindOf(result) : undefined;
      if (attempt === 0 && kind && kind !== this.digestKind) {
        this.debug(`the board computes ${kind} digests, not ${this.digestKind}: following it`);
        this.digestKind = kind;
        continue;
      }
      // a byte lost on a link without flow control (plain raw REPL, micro:bit v1): the check
      // caught it and the old file is kept; once more, then it is an error
      if (attempt < 2) {
        this.debug(`${path}: the board's copy did not match (${String(result)}): sending again`);
        continue;
      }
      throw new TransportError(`${path}: the board's copy did not match after the upload`);
    }
  }

  /** `WriteOptions.direct`: the text protocol into the target itself (py/direct.py ends it),
   * then its digest checked; following the board's digest kind as `writeFile` does. */
  private async writeDirect(path: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    const target = await this.wire(path);
    await this.checkRoom(path, data.length, true);
    const caps = await this.capabilities();
    for (let attempt = 0; ; attempt++) {
      const codes = textUploadCode(target, data, this.textChunk(caps), caps.binascii);
      codes[codes.length - 1]!.code += '\n_mpy.dw()';
      const answer = String(await this.sendText(['direct'], codes, data.length, options));
      const kind = digestKindOf(answer);
      if (kind && kind !== this.digestKind) this.digestKind = kind;
      if (answer === this.localDigest(data)) break;
      // a byte lost on a link without flow control: written again, over itself
      if (attempt >= 1) {
        throw new TransportError(`${path}: the board's copy did not match after a direct write`);
      }
      this.debug(`${path}: the direct write did not match (${answer}): writing it again`);
    }
    options.onProgress?.(data.length, data.length);
  }

  /** A small file in one exec (py/once/put.py): its own short commit (read back, sha256,
   * rename; FAT's way around a rename that does not replace) and the content, as one deflate
   * stream the board inflates and runs. True when done, else what the board printed. */
  private async putOnce(target: string, data: Uint8Array): Promise<PyParsed> {
    const digest = pyBytes(Buffer.from(sha256Hex(data).slice(0, 16), 'hex'));
    const args = [pyStr(target), pyStr(tempPathFor(target)), digest, pyBytes(data)];
    const code = packedCode(onceCommitCode(...args));
    const out = TEXT_DECODER.decode(await execResent((c) => this.repl.exec(c), code)).trim();
    return out === '' ? true : out;
  }

  /**
   * The micro:bit v1 firmware cannot tell its free space, and filling its flash can cut other
   * files short (seen in qemu: a write that hits ENOSPC after earlier deletes truncates files
   * it never touched). So there, refuse up front a write that might not fit: the temp file and
   * the copy over the target (py/mvc.py, which truncates the old content first) both need room
   * until the temp file goes; a direct write needs room for one copy.
   */
  private async checkRoom(path: string, size: number, direct = false): Promise<void> {
    const caps = await this.capabilities();
    if (caps.statvfs || caps.platform !== 'microbit') return;
    const entries = await this.listDir('/');
    const name = normalizeBoardPath(path).slice(1);
    const others = entries.reduce((n, e) => (e.name === name ? n : n + e.size), 0);
    const old = entries.find((e) => e.name === name)?.size ?? 0;
    const free = MICROBIT_FLASH - others;
    // the old content is there until the copy truncates it, the temp file until the copy ends
    const need = direct ? size : size + Math.max(size, old);
    if (need <= free) return;
    const room = `${bytes(need)} of ${bytes(free)} free on a micro:bit v1`;
    const detail = direct
      ? `needs ${room}`
      : `needs room for two copies (temp file and copy): ${room}` +
        (size <= free ? '; cp --direct writes one copy, but a cut leaves the file cut short' : '');
    throw new BoardError('OSError', '28', `${path}: ${detail}`, detail);
  }

  /** One upload by the best protocol that works; returns what py/ok.py `ok` answered. */
  private async upload(job: Upload): Promise<PyParsed> {
    const files = this.options.files;
    if (
      files &&
      this.options.waUploads &&
      job.data.length > 0 &&
      Buffer.byteLength(job.temp) <= WA_NAME_MAX &&
      this.knownFolders.has(folderOf(job.temp))
    ) {
      return this.writeWa(files, job);
    }
    const caps = await this.capabilities();
    const binary =
      caps.stdinBuffer &&
      caps.stdoutBuffer &&
      caps.kbdIntr &&
      this.options.binary &&
      this.binaryIn !== 'off';
    if (!binary) return this.writeText(job);
    try {
      const result = await this.writeWindowed(job);
      this.binaryIn = 'works';
      return result;
    } catch (error) {
      if (error instanceof SlowConfirm) {
        this.binaryIn = 'works';
        this.debug(`${error.message}: sending again`);
        return this.writeWindowed(job);
      }
      if (this.binaryIn === 'works' || !isStdinFailure(error)) throw error;
      this.binaryIn = 'off';
      this.debug(`sys.stdin.buffer carried nothing (${String(error)}): text uploads from now on`);
      return this.writeText(job);
    }
  }

  /**
   * WebREPL's PUT to the temp name (the board's file protocol, beside the raw REPL), then the
   * helper's commit: verified by hash, renamed over the target. PUT has no check of its own (a
   * board can lose a last byte and still answer 0); the hash is the check.
   */
  private async writeWa(files: FileProtocol, job: Upload): Promise<PyParsed> {
    const { target, temp, data, digest, options } = job;
    await this.capabilities();
    if (!this.toldWa) {
      this.toldWa = true;
      this.debug('uploads by WebREPL PUT (MPY_WEBREPL_FILES=0: by the raw REPL)');
    }
    await files.put(temp, data);
    options.onProgress?.(data.length, data.length);
    return this.call(['ok'], 'ok', pyStr(temp), pyStr(target), pyStr(digest));
  }

  private async writeWindowed(job: Upload): Promise<PyParsed> {
    const { target, temp, data, digest, options } = job;
    const caps = await this.capabilities();
    let wire = data;
    let wbits = 0;
    if (this.options.compress && this.deflateUploads && caps.deflate && data.length > 256) {
      const packed = deflateRawSync(data, { windowBits: DEFLATE_WBITS, level: 9 });
      if (packed.length < data.length * 0.95) {
        wire = new Uint8Array(packed);
        wbits = DEFLATE_WBITS;
      }
    }
    const { window, inFlight } = flowFor(this.options, caps);
    if (hasInterruptWindow(wire, window)) return this.writeText(job);
    const total = data.length;
    const confirmMs = this.binaryIn === 'works' ? undefined : this.options.confirmMs;
    try {
      return await this.helpers.with(['put'], async (prelude) => {
        const call = pyCall('_mpy.put', temp, target, wire.length, window, wbits, digest);
        const started = await this.repl.start(await prelude.startCode('put', call));
        return driveExecution(started, async (execution) => {
          const flow = { window, inFlight, confirmMs, signal: options.signal };
          await sendWindowed(execution, wire, flow, (sent) =>
            options.onProgress?.(Math.round((sent / Math.max(wire.length, 1)) * total), total),
          );
          return parsePyRepr(TEXT_DECODER.decode(await execution.finish()));
        });
      });
    } catch (error) {
      if (!wbits || !isDeflateFailure(error)) throw error;
      this.deflateUploads = false;
      this.debug(
        `deflate failed on the board (${String(error)}): uploads uncompressed from now on`,
      );
      return this.writeWindowed(job);
    }
  }

  private async writeText(job: Upload): Promise<PyParsed> {
    const { target, temp, data, digest, options } = job;
    const caps = await this.capabilities();
    const codes = textUploadCode(temp, data, this.textChunk(caps), caps.binascii);
    // the commit rides with the last chunk: one round trip less
    codes[codes.length - 1]!.code += `\n${pyCall('_mpyc.c', target, digest)}`;
    return this.sendText(['tput'], codes, data.length, options);
  }

  /** The literal length of a text upload's chunks. Each exec must compile in what is free once
   * the helper is in (on a micro:bit v1, 8 KB before it), in a heap a long session has
   * fragmented: its code in one piece is what fails. */
  private textChunk(caps: Capabilities): number {
    const fits = 2 ** Math.floor(Math.log2(heapOf(caps) / 32));
    return this.options.textChunk ?? Math.max(128, Math.min(2048, fits));
  }

  /** Run a text upload's execs with `parts` loaded; the repr the last one printed. */
  private async sendText(
    parts: HelperPart[],
    codes: TextChunk[],
    total: number,
    options: WriteOptions,
  ): Promise<PyParsed> {
    return this.helpers.with(parts, async (prelude) => {
      let out = '';
      for (const [i, { code, end }] of codes.entries()) {
        const sent = `${i === 0 ? prelude.code : ''}${code}\n`;
        out = TEXT_DECODER.decode(await execResent((c) => this.repl.exec(c), sent));
        options.onProgress?.(end, total);
      }
      return parsePyRepr(out);
    });
  }

  /** See `BoardFs.writeTree`; the protocol is in ./tree-upload.ts. */
  async writeTree(tree: TreeWrite): Promise<boolean> {
    return this.journaled(
      tree.files.map((file) => file.path),
      () => this.writeTreeOnce(tree),
    );
  }

  private async writeTreeOnce(tree: TreeWrite): Promise<boolean> {
    const caps = await this.capabilities();
    if (!this.treeUploads || !this.options.compress || !canCompareTree(caps)) return false;
    const files: TreeFile[] = [];
    for (const { path, data } of tree.files) {
      files.push({ path, wire: await this.wire(path), data, digest: this.localDigest(data) });
    }
    const folders = treeFolders(await Promise.all(tree.folders.map((f) => this.wire(f))), files);
    if (!manifestFits(folders, files, caps)) return false;
    let send = files.map(() => true);
    // a forced tree into folders that exist needs no answer from the board
    if (!tree.force || folders.length > 0) {
      try {
        const out = await this.run(['tree-compare'], compareCall(folders, files, !!tree.force));
        send = parseCompare(out, files.length);
      } catch (error) {
        if (!(error instanceof BoardError) || error.type === 'KeyboardInterrupt') throw error;
        if (isDeflateFailure(error)) this.treeUploads = false;
        this.debug(`the board did not take the tree at once (${error.message}): file by file`);
        return false;
      }
      for (const folder of folders) this.knownFolders.add(folder);
    }
    for (const [i, file] of files.entries()) tree.onFile?.(file.path, send[i]!);
    const sent = files.filter((_, i) => send[i]);
    const left = sent.length >= STREAM_FROM ? await this.streamTree(sent, tree.onProgress) : sent;
    const total = left.reduce((n, file) => n + file.data.length, 0);
    let done = 0;
    for (const { path, data } of left) {
      await this.writeFile(path, data, { onProgress: (n) => tree.onProgress?.(done + n, total) });
      done += data.length;
    }
    return true;
  }

  /** `files` as one stream (py/tree-write.py) where binary stdin works; returns the files it
   * did not commit, to go one by one (where writeFile follows a board whose digest differs). */
  private async streamTree(
    files: TreeFile[],
    onProgress: TreeWrite['onProgress'],
  ): Promise<TreeFile[]> {
    const caps = await this.capabilities();
    const binary = caps.stdinBuffer && caps.stdoutBuffer && caps.kbdIntr && this.options.binary;
    if (!binary || this.binaryIn === 'off' || !this.treeUploads) return files;
    // py/tree-write.py makes the usual temp names: a name too long for one goes by writeFile
    const long = files.filter((file) => needsShortTemp(file.wire));
    if (long.length > 0) {
      const rest = await this.streamTree(
        files.filter((file) => !needsShortTemp(file.wire)),
        onProgress,
      );
      return [...rest, ...long];
    }
    const { window, inFlight } = flowFor(this.options, caps);
    const stream = encodeStream(files, streamWbits(caps));
    const call = streamCall(stream, window);
    if (!call) return files;
    const confirmMs = this.binaryIn === 'works' ? undefined : this.options.confirmMs;
    let results: PyParsed[];
    try {
      results = await this.helpers.with(['tree-write'], async (prelude) => {
        const started = await this.repl.start(await prelude.startCode('tw', call));
        return driveExecution(started, (execution) =>
          sendStream(execution, stream, { window, inFlight, confirmMs }, onProgress),
        );
      });
      this.binaryIn = 'works';
    } catch (error) {
      if (error instanceof SlowConfirm) {
        this.binaryIn = 'works';
        this.debug(`${error.message}: sending again`);
        return this.streamTree(files, onProgress);
      }
      if (this.binaryIn !== 'works' && isStdinFailure(error)) {
        this.binaryIn = 'off';
        this.debug(`sys.stdin.buffer carried nothing (${String(error)}): text uploads from now on`);
      } else if (isDeflateFailure(error)) {
        this.treeUploads = false;
        this.debug(`the board failed on a tree's stream (${String(error)}): file by file`);
      } else throw error;
      return files;
    }
    return files.filter((_, i) => results[i] !== true && results[i] !== 2);
  }

  async patchFile(
    path: string,
    baseDigest: string,
    ops: PatchOp[],
    expectedDigest: string,
    baseSize?: number,
  ): Promise<boolean> {
    return this.journaled([path], () =>
      this.patchOne(path, baseDigest, ops, expectedDigest, baseSize),
    );
  }

  private async patchOne(
    path: string,
    baseDigest: string,
    ops: PatchOp[],
    expectedDigest: string,
    baseSize?: number,
  ): Promise<boolean> {
    if (baseSize !== undefined) {
      const quick = await this.patchQuick(path, ops, expectedDigest, baseSize);
      if (quick !== undefined) return quick;
    }
    const caps = await this.capabilities();
    const segments = patchSegments(ops);
    const inserted = segments.reduce((n, s) => n + (s instanceof Uint8Array ? s.length : 0), 0);
    // inserted bytes travel as literals in one exec: keep that within a small board's heap
    if (inserted > Math.min(32768, heapOf(caps) / 8)) return false;
    const target = await this.wire(path);
    // py/patch.py makes the usual temp name, too long for such a name: a whole write instead
    if (needsShortTemp(target)) return false;
    const prefix = (digest: string) => digest.slice(0, PATCH_DIGEST);
    try {
      const args = [target, prefix(baseDigest), segments, prefix(expectedDigest)].map(pyValue);
      const result = await this.call(['patch'], 'pt', ...args);
      return result === true || result === 2;
    } catch (error) {
      if (errnoOf(error) === 2) return false;
      throw error;
    }
  }

  /** Whether an edit of a file this size may go as py/once/pt.py (old and new content in RAM
   * at once): not after that failed here, only while digests are sha256, and within an eighth
   * of the free heap where the probe said it (8 KB before it has). */
  private async quickPatchFits(size: number): Promise<boolean> {
    if (this.quickPatchOff || this.digestKind !== 'sha256') return false;
    const heap = this.caps ? (await this.caps).memFree : -1;
    return size <= (heap > 0 ? Math.min(QUICK_PATCH_MAX, heap / 8) : 8192);
  }

  /** An edit in one exec (py/once/pt.py), with no helper: what a `dev` save needs after the
   * soft reset. Undefined where it does not apply or the board cannot run it. */
  private async patchQuick(
    path: string,
    ops: PatchOp[],
    expectedDigest: string,
    baseSize: number,
  ): Promise<boolean | undefined> {
    const segments = patchSegments(ops);
    let size = 0;
    const parts: string[] = [];
    for (const segment of segments) {
      if (segment instanceof Uint8Array) {
        size += segment.length;
        parts.push(pyBytes(segment));
      } else {
        const [start, length] = segment;
        const end = length < 0 ? baseSize : start + length;
        size += end - start;
        if (end > start) parts.push(`(${start},${end})`);
      }
    }
    if (!(await this.quickPatchFits(Math.max(size, baseSize)))) return undefined;
    const target = await this.once((wire) => Promise.resolve(wire(path)));
    const wire = target ? target.value : await this.wire(path);
    if (needsShortTemp(wire)) return undefined;
    const digest = pyBytes(Buffer.from(expectedDigest.slice(0, 12), 'hex'));
    const args = [pyStr(wire), pyStr(tempPathFor(wire)), `[${parts.join(',')}]`, digest];
    // `_o` goes after the call, not in a `finally` (14 bytes of every save): only a failure,
    // after which the full helper takes over, leaves it behind
    const code = `${onceSource('pt')}_o(${args.join(',')})\ndel _o\n`;
    try {
      const out = TEXT_DECODER.decode(await this.repl.exec(code)).trim();
      return out === '';
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 2) return false;
      if (isOnceUnsupported(error) || (error instanceof BoardError && errno !== 28)) {
        this.quickPatchOff = true;
        this.debug(`one-exec edit failed (${String(error)}): edits by the full helper from now on`);
        return undefined;
      }
      throw error;
    }
  }

  async digest(path: string): Promise<string | undefined> {
    const quick = await this.once(async (wire) => {
      try {
        return String(await this.onceCall('dg', pyStr(wire(path))));
      } catch (error) {
        if (errnoOf(error) === 2) return undefined;
        throw error;
      }
    });
    if (quick) return quick.value;
    try {
      return String(await this.call(['dg'], 'dg', pyStr(await this.wire(path))));
    } catch (error) {
      if (errnoOf(error) === 2) return undefined;
      throw error;
    }
  }

  async digestTree(root: string, options: { digestPrefix?: number } = {}): Promise<RemoteFile[]> {
    const wire = pyStr(await this.wire(root));
    // the digest kind is the probe's, which wire() waited for
    const k = this.digestKind === 'sha256' ? options.digestPrefix : undefined;
    const out = await this.run(['tree'], `_mpy.tree(${wire}${k ? `,${k}` : ''})\n`);
    return parsePyReprLines(out).map((row) => {
      const [path, size, digest] = row as [string, number, string];
      this.knownFolders.add(folderOf(path));
      // a relative root gives paths relative to the board's folder, as the caller asked
      return { path: root.startsWith('/') ? this.fromWire(path) : path, size, digest };
    });
  }

  localDigest(data: Uint8Array): string {
    return digestOf(this.digestKind, data);
  }

  async remove(path: string): Promise<void> {
    if (await this.once((wire) => this.repl.exec(onceCode('rm', pyStr(wire(path)))))) return;
    await this.call(['rm'], 'rm', pyStr(await this.wire(path)));
  }

  async removeTree(path: string): Promise<void> {
    const wire = await this.wire(path);
    this.forgetFolders(wire);
    await this.call(['rm'], 'rmt', pyStr(wire));
  }

  async mkdir(path: string, options: { parents?: boolean } = {}): Promise<void> {
    if (!options.parents) {
      const made = await this.once(async (wire) => {
        await this.repl.exec(onceCode('mkdir', pyStr(wire(path))));
        return wire(path);
      });
      if (made) {
        this.knownFolders.add(made.value);
        return;
      }
    }
    if (!(await this.hasDirectories())) throw noFolders(path);
    const wire = await this.wire(path);
    await this.call(['dirs'], 'mkd', pyStr(wire), pyValue(!!options.parents));
    this.knownFolders.add(wire);
  }

  async rmdir(path: string): Promise<void> {
    const gone = await this.once(async (wire) => {
      this.forgetFolders(wire(path));
      await this.repl.exec(onceCode('rmdir', pyStr(wire(path))));
    });
    if (gone) return;
    if (!(await this.hasDirectories())) throw noFolders(path);
    const wire = await this.wire(path);
    this.forgetFolders(wire);
    await this.call(['dirs'], 'rmd', pyStr(wire));
  }

  async rename(from: string, to: string): Promise<void> {
    const wire = await this.wire(from);
    this.forgetFolders(wire);
    await this.call(['mvu'], 'mvu', pyStr(wire), pyStr(await this.wire(to)));
  }

  /** `wire` and the folders under it may be gone. */
  private forgetFolders(wire: string): void {
    for (const folder of this.knownFolders) {
      if (folder === wire || folder.startsWith(`${wire}/`)) this.knownFolders.delete(folder);
    }
    this.knownFolders.add('/');
    this.knownFolders.add('');
  }

  async usage(path = '/'): Promise<FsUsage> {
    const [blockSize, total, free, used] = (await this.call(
      ['df'],
      'df',
      pyStr(await this.wire(path)),
    )) as (number | null)[];
    const usage: FsUsage = {
      blockSize: blockSize ?? 0,
      totalBytes: total ?? undefined,
      freeBytes: free ?? undefined,
    };
    if (typeof used === 'number') usage.usedBytes = used;
    return usage;
  }

  async hasDirectories(): Promise<boolean> {
    return (await this.capabilities()).directories;
  }

  async prepare(use: 'watch' | 'patch'): Promise<void> {
    // an edit that may go in one exec (py/once/pt.py) needs no helper: only the raw REPL
    if (use === 'patch' && (await this.quickPatchFits(0))) await this.repl.exec('');
    else await this.helpers.preload(use === 'watch' ? ['tree', 'patch'] : ['patch']);
  }

  async currentFolder(): Promise<string> {
    // micro:bit's os has no getcwd: its flat filesystem is all at the root
    if (!(await this.capabilities()).getcwd) return '/';
    const resident = this.residentFolder;
    this.residentFolder = undefined;
    const fresh = resident?.folder && resident.sent === this.repl.codeSent;
    const folder = fresh ? resident.folder : await this.repl.eval("__import__('os').getcwd()");
    return typeof folder === 'string' && folder.startsWith('/') ? normalizeBoardPath(folder) : '/';
  }

  mpyTarget(): Promise<MpyTarget> {
    this.target ??= this.repl
      .eval(
        "(getattr(__import__('sys').implementation,'_mpy',None),__import__('sys').implementation.version)",
      )
      .then((value) => {
        const [mpy, version] = Array.isArray(value) ? value : [];
        return {
          mpy: typeof mpy === 'number' ? mpy : undefined,
          firmware: Array.isArray(version) ? version.filter((v) => v !== '').join('.') : '',
        };
      })
      .catch((error: unknown) => {
        this.target = undefined;
        throw error;
      });
    return this.target;
  }
}

/** The first use of binary stdin went wrong in a way a console without it shows. */
function isStdinFailure(error: unknown): boolean {
  if (error instanceof TimeoutError) return true;
  return error instanceof BoardError && (error.type === 'KeyboardInterrupt' || error.errno === 5);
}

/** A compressed upload the board could not inflate. */
function isDeflateFailure(error: unknown): boolean {
  return (
    error instanceof BoardError &&
    !(error.errno === 28) &&
    /deflate|DeflateIO|MemoryError/i.test(`${error.type} ${error.value} ${error.traceback}`)
  );
}

/** `14,200 B`, as the micro:bit's room is told. */
function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} B`;
}

function noFolders(path: string): MpyError {
  return new BoardError('OSError', '[Errno 95] EOPNOTSUPP', `${path}: this board has no folders`);
}
