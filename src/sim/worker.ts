// src/sim/worker.ts: the board itself: runs the interpreter and its REPL in a worker thread.

import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MicroPython } from '@micropython/micropython-webassembly-pyscript';
import { flashUsed, microbitChunks, microbitChunksUsed, saveFlash } from './flash.js';
import { mirrorFlash } from './flash-mirror.js';
import { FrameFilter } from './frame-filter.js';
import { startInterpreter } from './interpreter.js';
import { LegacyHeap } from './legacy-heap.js';
import { LegacyRawLine } from './legacy-raw.js';
import { ReplDriver } from './repl-driver.js';
import { RxRingReader, TxRingWriter } from './worker-io.js';

/** What the host passes to a new board worker. */
export interface WorkerConfig {
  ring: SharedArrayBuffer;
  /** Board->host output ring (drained by the host). */
  output: SharedArrayBuffer;
  legacy: boolean;
  flashDir: string;
  flashSize: number;
  rawPasteWindow: number;
  /** Run boot.py and main.py at power-on (false after a watchdog restart that killed them). */
  runScripts: boolean;
}

/** Messages from the worker to the host. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'hardReset' }
  | { type: 'stopped' }
  | { type: 'fatal'; message: string }
  /** A legacy board took a raw REPL line too long for it: it hangs like the real one. */
  | { type: 'hung'; message: string }
  /** The answer to a `FileRequest` (WebREPL's file protocol), by its id. */
  | { type: 'file'; id: number; error?: string; data?: Uint8Array };

/** A file operation the host asks for (WebREPL's `WA` protocol), done when the board next waits
 * for input, as modwebrepl.c does them inside its stream read: `open` truncates (PUT), `append`
 * adds bytes, `read` returns the whole file (GET). */
export interface FileRequest {
  type: 'file';
  id: number;
  op: 'open' | 'append' | 'read';
  path: string;
  data?: Uint8Array;
}

const config = workerData as WorkerConfig;
const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const post = (message: WorkerMessage): void => port.postMessage(message);

let mp: MicroPython | undefined;
/** Legacy: the micro:bit-sized heap of the current interpreter. */
let legacyHeap: LegacyHeap | undefined;
let flashDirty = false;
/** While set, output goes here instead of the wire (to rewrite or drop it). */
let capture: number[] | undefined;
let outputCount = 0;
/** Output bytes to swallow if they come next (the port's `OK` after a raw-paste). */
let dropPrefix: number[] = [];

const reader = new RxRingReader(
  config.ring,
  () => mp?._module._mp_hal_get_interrupt_char() === 3,
  () => mp?._module._mp_sched_keyboard_interrupt(),
);

const out = new TxRingWriter(config.output, () => reader.pump());
const frames = new FrameFilter((byte) => out.push(byte));
const toWire = config.legacy
  ? (byte: number): void => frames.push(byte)
  : (byte: number): void => out.push(byte);

function onStdout(byte: number): void {
  if (capture) {
    capture.push(byte);
    return;
  }
  if (dropPrefix.length > 0) {
    if (dropPrefix[0] === byte) {
      dropPrefix.shift();
      return;
    }
    dropPrefix = [];
  }
  toWire(byte);
  // A UART interrupt would see Ctrl-C at once; a printing loop checks every few hundred bytes.
  if ((++outputCount & 255) === 0) reader.pump();
}

/** Do the file requests that came while Python ran (see `FileRequest`); the flash is saved. */
function serviceFiles(): void {
  if (!mp || !port) return;
  const FS = mp.FS;
  for (;;) {
    const received = receiveMessageOnPort(port);
    if (!received) return;
    const request = received.message as FileRequest;
    if (request.type !== 'file') continue;
    try {
      if (request.op === 'read') {
        const data = FS.readFile(request.path) as Uint8Array;
        post({ type: 'file', id: request.id, data });
        continue;
      }
      const stream = FS.open(request.path, request.op === 'open' ? 'w' : 'a');
      try {
        const data = request.data ?? new Uint8Array(0);
        if (data.length) FS.write(stream, data, 0, data.length);
      } finally {
        FS.close(stream);
      }
      post({ type: 'file', id: request.id });
    } catch (error) {
      const errno = (error as { errno?: number }).errno;
      post({ type: 'file', id: request.id, error: `OSError ${errno ?? String(error)}` });
    }
  }
}

/** sys.stdin: block like a UART read; an interrupt ends the read early (the VM then raises). */
function onStdin(): number | null {
  out.flush();
  for (;;) {
    const sequence = reader.wakeSequence();
    serviceFiles();
    reader.pump();
    if (reader.takeInterrupt()) return null;
    const byte = reader.take();
    if (byte !== undefined) return byte;
    if (reader.stopRequested()) return null;
    reader.waitForChange(sequence, 1000);
  }
}

/** Marks the flash dirty if files are still open for writing (they are saved on close otherwise). */
let checkOpenWrites = (): void => {};

function saveIfDirty(): void {
  checkOpenWrites();
  if (!mp || !flashDirty) return;
  flashDirty = false;
  saveFlash(mp.FS, config.flashDir);
}

/** The bridge board-setup Python reaches through `js.mpySim`. */
const bridge = {
  flashSize: config.flashSize,
  flashUsed: (): number => (mp ? flashUsed(mp.FS) : 0),
  flashChunksFree: (): number =>
    mp ? microbitChunks(config.flashSize) - microbitChunksUsed(mp.FS) : 0,
  capHeap(shut: boolean): void {
    if (shut) legacyHeap?.gate.close();
    else legacyHeap?.gate.open();
  },
  rawSource: (): string => legacyHeap?.source ?? '',
  sleep(ms: number): void {
    out.flush();
    const end = performance.now() + ms;
    for (;;) {
      const sequence = reader.wakeSequence();
      reader.pump();
      if (reader.takeInterrupt()) return;
      const left = end - performance.now();
      if (left <= 0 || reader.stopRequested()) return;
      reader.waitForChange(sequence, left);
    }
  },
  hardReset(): void {
    out.flush();
    saveIfDirty();
    post({ type: 'hardReset' });
    // The host terminates this worker; never return into Python.
    const parked = new Int32Array(new SharedArrayBuffer(4));
    for (;;) Atomics.wait(parked, 0, 0);
  },
};
(globalThis as Record<string, unknown>).mpySim = bridge;

async function newInterpreter(): Promise<MicroPython> {
  mp = undefined;
  const heap = config.legacy ? new LegacyHeap() : undefined;
  legacyHeap = heap;
  const fresh = await startInterpreter({
    legacy: config.legacy,
    flashDir: config.flashDir,
    flashSize: config.flashSize,
    stdin: onStdin,
    stdout: onStdout,
    ...(heap ? { heapGate: heap.gate } : {}),
  });
  checkOpenWrites = mirrorFlash(fresh.FS, config.flashDir, () => {
    flashDirty = true;
  });
  mp = fresh;
  heap?.start(fresh);
  return fresh;
}

const legacyLine = config.legacy
  ? new LegacyRawLine({
      checkCompile: (source, credit) => legacyHeap?.checkCompile(source, credit),
      idleFree: () => legacyHeap?.idleFree ?? 0,
      hang: (length) =>
        post({
          type: 'hung',
          message: `a ${length}-byte raw REPL line does not fit the micro:bit's heap`,
        }),
    })
  : undefined;

/** Run `action` with its output held back, then return that output. */
function captured(action: () => void): string {
  const held: number[] = [];
  capture = held;
  try {
    action();
  } finally {
    capture = undefined;
  }
  return Buffer.from(held).toString('latin1');
}

const driver = new ReplDriver({
  out,
  reader,
  legacy: config.legacy,
  rawPasteWindow: config.rawPasteWindow,
  interpreter: () => {
    if (!mp) throw new Error('no interpreter');
    return mp;
  },
  newInterpreter,
  captured,
  dropOutput: (prefix) => {
    dropPrefix = [...Buffer.from(prefix, 'latin1')];
  },
  afterExec: saveIfDirty,
  idle: serviceFiles,
  ...(legacyLine ? { legacyLine } : {}),
});

async function main(): Promise<void> {
  await newInterpreter();
  await driver.powerOn(config.runScripts, () => post({ type: 'ready' }));
  await driver.serve();
  out.flush();
  saveIfDirty();
  post({ type: 'stopped' });
}

main().catch((error: unknown) => {
  out.flush();
  post({
    type: 'fatal',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
});
