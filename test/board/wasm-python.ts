// test/board/wasm-python.ts: a bare MicroPython (WebAssembly port) in this process, to unit-test
// the board helper's Python and the literal encoder without a board or a REPL.

interface MicroPythonModule {
  loadMicroPython(options: { stdout: (text: string) => void }): Promise<{
    runPython(code: string): unknown;
  }>;
}

// a variable specifier: the package ships no types, and only this shape is used
const PACKAGE = '@micropython/micropython-webassembly-pyscript/micropython.mjs';

/** Runs code, returns what it printed; a Python exception is rethrown with its message. */
export interface WasmPython {
  run(code: string): string;
}

/** Load a fresh interpreter whose filesystem is emscripten's in-memory one (cwd `/`). */
export async function loadWasmPython(): Promise<WasmPython> {
  let out = '';
  const { loadMicroPython } = (await import(PACKAGE)) as MicroPythonModule;
  const mp = await loadMicroPython({
    stdout: (text: string) => {
      out += `${text}\n`;
    },
  });
  return {
    run(code: string): string {
      out = '';
      mp.runPython(code);
      return out;
    },
  };
}
