// src/compile/mpy-cross.ts: compile MicroPython source to .mpy bytecode with MicroPython's own
// mpy-cross (npm @pybricks/mpy-cross-v6, compiled to WebAssembly), in process, results cached.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MpyError } from '../errors.js';

/** The .mpy version this mpy-cross writes (header byte 1): MicroPython 1.19 and later load it. */
export const MPY_CROSS_VERSION = 6;

/** A source file mpy-cross refused; `message` is `file:line: Type: text`, one line. */
export class CompileError extends MpyError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(line === undefined ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
  }
}

/** How a file is named: in the .mpy (the board shows it in tracebacks) and in a compile error. */
export interface CompileNames {
  /** Embedded in the .mpy as its source file name (`-s`), e.g. the board path `/lib/x.py`. */
  sourceName: string;
  /** Where the user finds the file (a local path), for `file:line: message`. */
  shownName: string;
}

/** Node's WebAssembly global, which the ES library typings leave out (the DOM ones have it). */
interface WasmModule {
  readonly wasmModule: unique symbol;
}
interface WasmInstance {
  readonly exports: object;
}
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
};

/** The Emscripten module object the package's factory takes (only what is used here). */
interface MpyCrossModule {
  arguments: string[];
  inputFileContents: Uint8Array;
  /** Emscripten's hook to instantiate the wasm itself: here from the module compiled once. */
  instantiateWasm: (imports: object, receive: (instance: WasmInstance) => void) => object;
  callback: (status: number, mpy: Uint8Array | undefined, out: string[], err: string[]) => void;
  onAbort: (what: unknown) => void;
}

type MpyCrossFactory = (module: MpyCrossModule) => Promise<unknown>;

const require = createRequire(import.meta.url);
let loaded: { factory: MpyCrossFactory; wasm: Promise<WasmModule> } | undefined;

function load(): { factory: MpyCrossFactory; wasm: Promise<WasmModule> } {
  // The package's own `compile` lets the loader fetch() the .wasm by path, which Node's fetch
  // refuses ("Failed to parse URL"); the bytes are read here instead, and compiled once (each
  // run is a new instance of the same module: compiling it anew cost most of a run).
  loaded ??= {
    factory: require('@pybricks/mpy-cross-v6/build/mpy-cross-v6.js') as MpyCrossFactory,
    wasm: WebAssembly.compile(
      readFileSync(require.resolve('@pybricks/mpy-cross-v6/build/mpy-cross-v6.wasm')),
    ),
  };
  return loaded;
}

/** The wasm file system takes a plain name; the real one goes in with `-s`. */
const INPUT_NAME = 'input.py';

const CACHE_LIMIT = 256;
const cache = new Map<string, Uint8Array>();

/**
 * The .mpy (version 6, bytecode only) of one source file. Identical input is compiled once per
 * process. Throws `CompileError` for a syntax error (or anything else mpy-cross refuses).
 */
export async function compileToMpy(source: Uint8Array, names: CompileNames): Promise<Uint8Array> {
  const key = createHash('sha256')
    .update(names.sourceName)
    .update('\0')
    .update(source)
    .digest('hex');
  const cached = cache.get(key);
  if (cached) return cached;
  const { status, mpy, out, err } = await runMpyCross(source, names.sourceName);
  if (status !== 0 || !mpy) throw compileErrorOf(names.shownName, [...err, ...out]);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, mpy);
  return mpy;
}

interface RunResult {
  status: number;
  mpy: Uint8Array | undefined;
  out: string[];
  err: string[];
}

async function runMpyCross(source: Uint8Array, sourceName: string): Promise<RunResult> {
  const { factory, wasm: compiled } = load();
  const wasm = await compiled;
  return new Promise<RunResult>((resolve, reject) => {
    // Each run is a fresh Emscripten instance, which adds process-wide uncaughtException and
    // unhandledRejection handlers that rethrow; they are taken off again at once.
    const before = {
      uncaught: new Set(process.listeners('uncaughtException')),
      rejection: new Set(process.listeners('unhandledRejection')),
    };
    try {
      factory({
        arguments: ['-s', sourceName, INPUT_NAME],
        inputFileContents: source,
        instantiateWasm: (imports, receive) => {
          WebAssembly.instantiate(wasm, imports).then(receive, (error: unknown) =>
            reject(new MpyError(`mpy-cross failed: ${String(error)}`)),
          );
          return {};
        },
        callback: (status, mpy, out, err) => resolve({ status, mpy, out, err }),
        onAbort: (what) => reject(new MpyError(`mpy-cross failed: ${String(what)}`)),
      }).catch((error: unknown) => reject(new MpyError(`mpy-cross failed: ${String(error)}`)));
    } catch (error) {
      reject(new MpyError(`mpy-cross failed: ${String(error)}`));
    } finally {
      for (const listener of process.listeners('uncaughtException')) {
        if (!before.uncaught.has(listener)) process.removeListener('uncaughtException', listener);
      }
      for (const listener of process.listeners('unhandledRejection')) {
        if (!before.rejection.has(listener)) process.removeListener('unhandledRejection', listener);
      }
    }
  });
}

/** mpy-cross prints a traceback: `  File "input.py", line 2` then `SyntaxError: invalid syntax`. */
export function compileErrorOf(shownName: string, lines: readonly string[]): CompileError {
  const text = lines.map((l) => l.trim()).filter((l) => l !== '');
  let line: number | undefined;
  for (const l of text) {
    const match = /^File "[^"]*", line (\d+)/.exec(l);
    if (match) line = Number(match[1]);
  }
  const detail =
    text.filter((l) => !l.startsWith('Traceback') && !l.startsWith('File "')).at(-1) ??
    'mpy-cross failed';
  return new CompileError(shownName, line, detail);
}
