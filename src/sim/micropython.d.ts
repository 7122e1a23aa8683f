// src/sim/micropython.d.ts: the few parts of the MicroPython WebAssembly port the sim uses.

declare module '@micropython/micropython-webassembly-pyscript' {
  /** Emscripten's in-memory filesystem (only what the sim touches). */
  export interface EmscriptenFS {
    mkdir(path: string): void;
    rmdir(path: string): void;
    unlink(path: string): void;
    readdir(path: string): string[];
    readFile(path: string): Uint8Array;
    writeFile(path: string, data: Uint8Array | string): void;
    stat(path: string): { mode: number; size: number };
    lstat(path: string): { mode: number; size: number };
    isDir(mode: number): boolean;
    isFile(mode: number): boolean;
    open(path: string, flags: string): { node: unknown; stream_ops: Record<string, unknown> };
    close(stream: unknown): void;
    write(stream: unknown, data: Uint8Array, offset: number, length: number): number;
    getPath(node: unknown): string;
    makedev(major: number, minor: number): number;
    registerDevice(device: number, ops: Record<string, unknown>): void;
    mkdev(path: string, device: number): void;
    ErrnoError: new (errno: number) => Error;
  }
  export interface EmscriptenModule {
    ccall(name: string, ret: string | null, argTypes: string[], args: unknown[]): unknown;
    _mp_sched_keyboard_interrupt(): void;
    _mp_hal_get_interrupt_char(): number;
    _malloc(size: number): number;
    _free(pointer: number): void;
  }
  export interface MicroPython {
    _module: EmscriptenModule;
    FS: EmscriptenFS;
    replInit(): void;
    replProcessChar(chr: number): number;
    runPython(code: string): unknown;
    /** Import a module; its functions can be called from JS and return converted values. */
    pyimport(name: string): Record<string, unknown>;
  }
  export function loadMicroPython(options: {
    stdin?: () => number | null;
    stdout?: (data: Uint8Array) => void;
    stderr?: (data: Uint8Array) => void;
    linebuffer?: boolean;
    heapsize?: number;
    pystack?: number;
  }): Promise<MicroPython>;
}
