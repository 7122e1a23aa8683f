// src/sim/interpreter.ts: load one MicroPython WebAssembly instance and dress it up as a board.

import {
  type EmscriptenFS,
  loadMicroPython,
  type MicroPython,
} from '@micropython/micropython-webassembly-pyscript';
import { SETUP_MODULES } from './board-setup.js';
import { clearRoot, forbidDirectories, limitFlash, loadFlash } from './flash.js';
import type { HeapGate } from './heap-gate.js';

/** Emscripten errno -> Linux errno, for the values a filesystem can produce. */
const ERRNO_TO_LINUX: Record<number, number> = {
  63: 1, // EPERM
  44: 2, // ENOENT
  27: 4, // EINTR
  29: 5, // EIO
  8: 9, // EBADF
  6: 11, // EAGAIN
  48: 12, // ENOMEM
  2: 13, // EACCES
  10: 16, // EBUSY
  20: 17, // EEXIST
  75: 18, // EXDEV
  43: 19, // ENODEV
  54: 20, // ENOTDIR
  31: 21, // EISDIR
  28: 22, // EINVAL
  33: 24, // EMFILE
  22: 27, // EFBIG
  51: 28, // ENOSPC
  70: 29, // ESPIPE
  69: 30, // EROFS
  37: 36, // ENAMETOOLONG
  55: 39, // ENOTEMPTY
  32: 40, // ELOOP
  138: 95, // EOPNOTSUPP
};

type ImportFunction = (...args: unknown[]) => unknown;
type Imports = Record<string, Record<string, unknown>>;

function mapSyscalls(table: Record<string, unknown> | undefined, negative: boolean): void {
  if (!table) return;
  for (const [name, value] of Object.entries(table)) {
    if (typeof value !== 'function') continue;
    if (negative ? !name.startsWith('__syscall_') : !name.startsWith('fd_')) continue;
    const original = value as ImportFunction;
    table[name] = (...args: unknown[]): unknown => {
      const result = original(...args);
      if (typeof result !== 'number') return result;
      if (negative && result < 0) return -(ERRNO_TO_LINUX[-result] ?? -result);
      if (!negative && result > 0) return ERRNO_TO_LINUX[result] ?? result;
      return result;
    };
  }
}

let wrapped = false;
/** The gate of the interpreter being instantiated (one at a time per worker). */
let instantiating: HeapGate | undefined;

/**
 * Rewrite the imports of every instance this worker creates, once: the port reports emscripten
 * errno values (`OSError: 44`), boards report Linux ones (`[Errno 2] ENOENT`); and a legacy
 * board's heap gate must see memory growth.
 */
function hookInstantiate(): void {
  if (wrapped) return;
  wrapped = true;
  // Node's lib typings here have no DOM, so reach WebAssembly through globalThis.
  const wasm = (
    globalThis as unknown as {
      WebAssembly: { instantiate: (source: unknown, imports?: Imports) => unknown };
    }
  ).WebAssembly;
  const instantiate = wasm.instantiate.bind(wasm);
  wasm.instantiate = (source: unknown, imports?: Imports): unknown => {
    if (imports) {
      mapSyscalls(imports.env, true);
      mapSyscalls(imports.wasi_snapshot_preview1, false);
      if (imports.env) instantiating?.wrapImports(imports.env);
    }
    return instantiate(source, imports);
  };
}

/**
 * /dev/mpysim-text: a console device that writes \n as \r\n (a UART board's text output),
 * for print and sys.stdout; sys.stdout.buffer keeps the raw fd 1.
 */
function addTextDevice(FS: EmscriptenFS, write: (byte: number) => void): void {
  const device = FS.makedev(64, 0);
  FS.registerDevice(device, {
    write(_stream: unknown, buffer: Uint8Array, offset: number, length: number): number {
      for (let i = 0; i < length; i++) {
        const byte = buffer[offset + i] ?? 0;
        if (byte === 10) write(13);
        write(byte);
      }
      return length;
    },
  });
  FS.mkdev('/dev/mpysim-text', device);
}

export interface InterpreterOptions {
  legacy: boolean;
  flashDir: string;
  flashSize: number;
  stdin: () => number | null;
  stdout: (byte: number) => void;
  /** Legacy: keeps the heap at its start size while the sim says so (see heap-gate.ts). */
  heapGate?: HeapGate;
}

/** Start a fresh interpreter with the flash loaded from `flashDir` and the board shims installed. */
export async function startInterpreter(options: InterpreterOptions): Promise<MicroPython> {
  hookInstantiate();
  instantiating = options.heapGate;
  let mp: MicroPython;
  try {
    mp = await loadMicroPython({
      stdin: options.stdin,
      stdout: (data) => {
        for (const byte of data) options.stdout(byte);
      },
      stderr: (data) => {
        for (const byte of data) options.stdout(byte);
      },
      linebuffer: false,
      // Legacy: room for the sim's own modules; a ballast (mpysim_heap.py) takes the rest
      // down to the micro:bit's free heap.
      heapsize: options.legacy ? 64 * 1024 : 1024 * 1024,
    });
  } finally {
    instantiating = undefined;
  }
  options.heapGate?.attach(mp._module);
  addTextDevice(mp.FS, options.stdout);
  // The shims are imported from /tmp while it still exists; then `/` becomes the flash.
  for (const [name, source] of Object.entries(SETUP_MODULES))
    mp.FS.writeFile(`/tmp/${name}.py`, source);
  // Legacy files are limited by the micro:bit's chunks (mpysim_legacy.py), not by blocks.
  if (!options.legacy) limitFlash(mp.FS, options.flashSize);
  mp.runPython(
    [
      "__import__('sys').path.insert(0, '/tmp')",
      `__import__('_mpysim').setup(${options.legacy ? 'True' : 'False'})`,
    ].join('\n'),
  );
  clearRoot(mp.FS);
  loadFlash(mp.FS, options.flashDir);
  if (options.legacy) forbidDirectories(mp.FS);
  return mp;
}
