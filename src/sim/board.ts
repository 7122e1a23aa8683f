// src/sim/board.ts: VirtualBoard, a MicroPython board in a worker thread behind a virtual cable.

import { Worker } from 'node:worker_threads';
import { TransportError } from '../errors.js';
import type { Transport } from '../transport/transport.js';
import { RxRingWriter, Slot, TxRingDrain } from './ring.js';
import { SimTransport } from './sim-transport.js';
import { removeFlashDir, temporaryFlashDir } from './temp-flash.js';
import { UartReceiver } from './uart-rx.js';
import { InterruptWatchdog } from './watchdog.js';
import { Wire } from './wire.js';
import type { FileRequest, WorkerConfig, WorkerMessage } from './worker.js';

/** How to build a virtual board and its link. */
export interface SimOptions {
  /** `modern` (default) or `legacy` (old firmware: no raw-paste, no os.stat, no hashlib...). */
  profile?: 'modern' | 'legacy';
  /** Host folder the flash persists in; undefined = a temporary folder removed by `stop()`. */
  flashDir?: string;
  /** Throttle both directions at baud/10 bytes/s; 0/undefined = unthrottled. */
  baud?: number;
  /** UART receive buffer in bytes; bytes that do not fit are dropped (default 512). */
  rxBufferSize?: number;
  /** Raw-paste flow-control window (default 128; the host may have 2 windows in flight). */
  rawPasteWindow?: number;
  /** One-way latency added to each direction. */
  latencyMs?: number;
  /** Host->board bytes (counted from connect/setLink) after which the link is cut. */
  cutAfterBytes?: number;
  /** Readable trace of the wire: `> 05 41 01` host->board, `< "R\x01..."` board->host. */
  trace?: (line: string) => void;
  /**
   * Flash size in bytes for statvfs and ENOSPC (default 2 MiB); legacy: the micro:bit's file
   * system, 128-byte chunks (default 15,360 bytes, 120 chunks, as on a v1).
   */
  flashSize?: number;
}

/** A micro:bit v1's file system with MicroPython 1.9.2: 120 chunks of 128 bytes. */
const LEGACY_FLASH = 120 * 128;
/** Board output buffered before `print` blocks, and the most on the wire at once when paced. */
const TX_BUFFER = 2048;
const TX_CHUNK = 256;
/** How long a stopping worker gets to save and stop: waiting in the REPL, or busy in Python. */
const STOP_IDLE_MS = 10_000;
const STOP_BUSY_MS = 500;

/**
 * A virtual MicroPython board: the WebAssembly port in a worker, a bounded UART receive
 * buffer, a paced cable, a flash folder. Tools reach it through `connect()`, a Transport.
 */
export class VirtualBoard {
  /**
   * Bytes that crossed the wire: host->board (including those then dropped), board->host
   * (to an open connection), and host->board bytes the receive buffer had no room for.
   */
  readonly counters = { hostToBoard: 0, boardToHost: 0, dropped: 0 };
  private readonly ring: RxRingWriter;
  private readonly output: TxRingDrain;
  private readonly toBoard: Wire;
  private readonly toHost: Wire;
  private readonly flashDir: string;
  private readonly ownsFlashDir: boolean;
  private worker: Worker | undefined;
  private connection: SimTransport | undefined;
  private cutBudget: number | undefined;
  private readonly watchdog: InterruptWatchdog;
  private readonly receiver: UartReceiver;
  private ready: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private stopped = false;
  private fileId = 0;
  private readonly fileWaits = new Map<
    number,
    { resolve: (data: Uint8Array | undefined) => void; reject: (error: Error) => void }
  >();

  private constructor(private readonly options: SimOptions) {
    this.ring = RxRingWriter.create(options.rxBufferSize ?? 512);
    this.ownsFlashDir = options.flashDir === undefined;
    this.flashDir = options.flashDir ?? temporaryFlashDir();
    this.cutBudget = options.cutAfterBytes;
    this.watchdog = new InterruptWatchdog(this.ring.header, (runScripts, keepFrom) => {
      void this.restart(runScripts, keepFrom);
    });
    this.receiver = new UartReceiver(
      this.ring,
      (start, bytes) => this.storedAtBoard(start, bytes),
      (count) => this.droppedAtBoard(count),
    );
    this.toBoard = new Wire(
      () => this.options,
      (bytes) => this.arriveAtBoard(bytes),
    );
    this.toHost = new Wire(
      () => this.options,
      (bytes) => this.arriveAtHost(bytes),
    );
    // A UART's TX buffer: a board printing faster than the baud rate blocks once it is full.
    this.output = TxRingDrain.create(
      TX_BUFFER,
      (bytes) => this.toHost.send(bytes),
      () => (this.options.baud ? TX_CHUNK : Number.POSITIVE_INFINITY),
    );
  }

  /** Power the board on: boot.py, main.py, then the REPL waits for the host. */
  static async start(options: SimOptions = {}): Promise<VirtualBoard> {
    const board = new VirtualBoard({ ...options });
    await board.boot(true);
    return board;
  }

  /** Open the host end of the link (like opening the serial port). One connection at a time. */
  connect(): Transport {
    if (this.stopped) throw new TransportError('sim: the board is stopped');
    if (this.connection?.isOpen) throw new TransportError('sim: the port is already open');
    this.connection = new SimTransport({
      sendToBoard: (bytes) => this.sendToBoard(bytes),
      detach: (connection) => {
        if (this.connection === connection) this.connection = undefined;
      },
    });
    this.cutBudget = this.options.cutAfterBytes;
    return this.connection;
  }

  /**
   * A file operation as WebREPL's file protocol does it on the board (see `FileRequest`): done
   * when the board next waits for input, in order. Rejects with the board's OSError text. File
   * data counts toward `cutAfterBytes`, as the link's other bytes do.
   */
  fileOp(op: FileRequest['op'], path: string, data?: Uint8Array): Promise<Uint8Array | undefined> {
    const worker = this.worker;
    if (!worker || this.stopped) return Promise.reject(new Error('sim: the board is stopped'));
    // file data crosses the same link: an armed cut (`cutAfterBytes`) counts it and cuts inside
    let cut = false;
    if (data && this.cutBudget !== undefined) {
      if (data.length >= this.cutBudget) {
        data = data.subarray(0, this.cutBudget);
        cut = true;
      }
      this.cutBudget -= data.length;
    }
    if (cut) {
      const written = this.fileOp(op, path, data);
      this.cutLink();
      return written.then(() => Promise.reject(new TransportError('sim: link cut')));
    }
    const id = ++this.fileId;
    const request: FileRequest = { type: 'file', id, op, path, ...(data ? { data } : {}) };
    return new Promise((resolve, reject) => {
      this.fileWaits.set(id, { resolve, reject });
      worker.postMessage(request);
      this.ring.nudge();
    });
  }

  private failFileOps(): void {
    for (const wait of this.fileWaits.values()) wait.reject(new Error('sim: the board restarted'));
    this.fileWaits.clear();
  }

  /** Zero the counters (e.g. before measuring one transfer). */
  resetCounters(): void {
    this.counters.hostToBoard = 0;
    this.counters.boardToHost = 0;
    this.counters.dropped = 0;
  }

  /** Change link timing or arm a cut; a new `cutAfterBytes` counts from now. */
  setLink(options: Partial<Pick<SimOptions, 'baud' | 'latencyMs' | 'cutAfterBytes'>>): void {
    Object.assign(this.options, options);
    if ('cutAfterBytes' in options) this.cutBudget = options.cutAfterBytes;
  }

  /** End the current connection with an error, as if the cable were pulled. */
  cutLink(): void {
    this.toBoard.clear();
    this.toHost.clear();
    this.connection?.end(new TransportError('sim: link cut'));
    this.connection = undefined;
  }

  /** Restart the interpreter, keeping the flash; runs boot.py and main.py. */
  async hardReset(): Promise<void> {
    await this.shutdownWorker();
    await this.boot(true);
  }

  /** The reset button: the interpreter stops where it is, as a real board's does (the code
   * running ends without a word, bytes on their way in are lost), then boots again with the
   * flash kept. `hardReset` instead lets the running code see its stdin end first. */
  async pressReset(): Promise<void> {
    await this.restart(true);
  }

  /** End the worker and timers so the process can exit. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.connection?.end(undefined);
    this.toBoard.clear();
    this.toHost.clear();
    await this.shutdownWorker();
    this.output.stop();
    if (this.ownsFlashDir) removeFlashDir(this.flashDir);
  }

  private boot(runScripts: boolean): Promise<void> {
    const legacy = this.options.profile === 'legacy';
    const config: WorkerConfig = {
      ring: this.ring.buffer,
      output: this.output.buffer,
      legacy,
      flashDir: this.flashDir,
      flashSize: this.options.flashSize ?? (legacy ? LEGACY_FLASH : 2 * 1024 * 1024),
      rawPasteWindow: this.options.rawPasteWindow ?? 128,
      runScripts,
    };
    this.ring.command(0);
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: config });
    this.worker = worker;
    worker.on('message', (message: WorkerMessage) => this.onWorkerMessage(worker, message));
    worker.on('error', (error) => this.crashed(worker, error));
    return new Promise((resolve, reject) => {
      this.ready = { resolve, reject };
    });
  }

  private onWorkerMessage(worker: Worker, message: WorkerMessage): void {
    if (worker !== this.worker) return;
    switch (message.type) {
      case 'ready':
        // Output from before anyone listened (the power-on banner) is gone, as on a UART.
        if (!this.connection) this.output.drain();
        this.ready?.resolve();
        this.ready = undefined;
        break;
      case 'hardReset':
        void this.restart(true);
        break;
      case 'fatal':
        this.crashed(worker, new Error(message.message));
        break;
      case 'hung':
        this.options.trace?.(`! board hung: ${message.message}`);
        break;
      case 'stopped':
        this.failFileOps();
        break;
      case 'file': {
        const wait = this.fileWaits.get(message.id);
        this.fileWaits.delete(message.id);
        if (message.error) wait?.reject(new Error(message.error));
        else wait?.resolve(message.data ? Buffer.from(message.data) : undefined);
        break;
      }
    }
  }

  /** The interpreter died (a sim bug, not a Python error): fail start() or drop the link. */
  private crashed(worker: Worker, error: Error): void {
    if (worker !== this.worker) return;
    this.options.trace?.(`! board crashed: ${error.stack ?? error.message}`);
    if (this.ready) {
      this.ready.reject(error);
      this.ready = undefined;
      return;
    }
    this.connection?.end(
      new TransportError(`sim: the board crashed: ${error.message}`, { cause: error }),
    );
  }

  /**
   * Terminate the worker at once (it may be stuck) and boot a new one on the same flash.
   * Unread input is lost up to `keepFrom` (everything if unset).
   */
  private async restart(runScripts: boolean, keepFrom?: number): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failFileOps();
    this.watchdog.clear();
    this.ring.discard(keepFrom);
    this.output.drain();
    if (worker) await worker.terminate();
    if (!this.stopped) await this.boot(runScripts);
  }

  /** Ask the worker to save and stop; terminate it if it is busy in Python code. */
  private async shutdownWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failFileOps();
    this.watchdog.clear();
    if (!worker) return;
    const stopped = new Promise<void>((resolve) => {
      // A worker waiting in the REPL saves and stops within milliseconds, but on a loaded machine
      // it may not run for a while: it gets time, since terminating it could cut a flash save
      // short. One busy in Python code only stops when that code ends: 500 ms.
      const started = performance.now();
      const timer = setInterval(() => {
        const waited = performance.now() - started;
        const busy = Atomics.load(this.ring.header, Slot.busy) !== 0;
        if (waited >= (busy ? STOP_BUSY_MS : STOP_IDLE_MS)) finish();
      }, 50);
      const finish = () => {
        clearInterval(timer);
        resolve();
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'stopped') finish();
      });
      worker.once('exit', finish);
    });
    this.ring.command(1);
    await stopped;
    await worker.terminate();
    this.output.drain();
    this.ring.discard();
    this.receiver.clear();
  }

  private async sendToBoard(bytes: Uint8Array): Promise<void> {
    let data = bytes;
    let cut = false;
    if (this.cutBudget !== undefined && data.length >= this.cutBudget) {
      data = data.subarray(0, this.cutBudget);
      cut = true;
    }
    if (this.cutBudget !== undefined) this.cutBudget -= data.length;
    await this.toBoard.send(data);
    if (cut) this.cutLink();
  }

  private arriveAtBoard(bytes: Uint8Array): void {
    this.counters.hostToBoard += bytes.length;
    this.options.trace?.(
      `> ${Buffer.from(bytes)
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 ')}`,
    );
    this.receiver.arrive(bytes);
  }

  private storedAtBoard(start: number, bytes: Uint8Array): void {
    const lastInterrupt = bytes.lastIndexOf(3);
    if (lastInterrupt !== -1) this.watchdog.arm((start + lastInterrupt + 1) | 0);
  }

  private droppedAtBoard(count: number): void {
    this.counters.dropped += count;
    this.options.trace?.(`! receive buffer full: ${count} bytes dropped`);
  }

  private arriveAtHost(bytes: Uint8Array): void {
    if (!this.connection) return;
    this.counters.boardToHost += bytes.length;
    this.options.trace?.(`< ${JSON.stringify(Buffer.from(bytes).toString('latin1'))}`);
    this.connection.receive(bytes);
  }
}
