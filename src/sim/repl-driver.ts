// src/sim/repl-driver.ts: feeds link bytes to the port's REPL and adds what the port lacks.

import type { MicroPython } from '@micropython/micropython-webassembly-pyscript';
import type { LegacyRawLine } from './legacy-raw.js';
import type { RxRingReader, TxRingWriter } from './worker-io.js';

const CTRL_A = 1;
const CTRL_B = 2;
const CTRL_C = 3;
const CTRL_D = 4;
const CTRL_E = 5;
const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n';
/** The firmware's version as on a micro:bit v1, as sys.implementation says (mpysim_legacy.py). */
const LEGACY_BANNER =
  'MicroPython v1.9.2 on 2017-09-01; mpy-sim legacy (micro:bit v1.0.1) with webassembly';
const BUSY_CODE = 1;
const BUSY_SCRIPT = 2;

export interface ReplDriverOptions {
  out: TxRingWriter;
  reader: RxRingReader;
  /** Called each time the REPL waits for input (WebREPL file requests are done then). */
  idle?: () => void;
  legacy: boolean;
  rawPasteWindow: number;
  interpreter: () => MicroPython;
  newInterpreter: () => Promise<MicroPython>;
  /** Run an action with its output held back; returns that output. */
  captured: (action: () => void) => string;
  /** Drop the next output bytes if they are exactly `prefix`. */
  dropOutput: (prefix: string) => void;
  /** Called after each piece of code ran (the flash is saved then). */
  afterExec: () => void;
  /** Legacy: the raw REPL line is held and checked against the micro:bit's heap first. */
  legacyLine?: LegacyRawLine;
}

/**
 * The REPL loop of the board. The port's own raw REPL does the work; this adds raw-paste
 * (the port's version spins on a stub), soft reset (a fresh interpreter, same flash), the
 * board's banner, and boot.py/main.py.
 */
export class ReplDriver {
  private mode: 'friendly' | 'raw' = 'friendly';
  /** Bytes on the port's current raw REPL line (so `\x05A\x01` is only seen on an empty line). */
  private rawLineLength = 0;
  /** Raw-paste prefix bytes held back from the port (`\x05`, then `A`). */
  private held: number[] = [];

  constructor(private readonly o: ReplDriverOptions) {}

  /**
   * Power-on: boot.py, main.py, then the friendly REPL banner. `onRunning` fires once the
   * board is up: before main.py (which may never end), or after the banner when there is none.
   */
  async powerOn(runScripts: boolean, onRunning: () => void): Promise<void> {
    if (runScripts) {
      this.runScript('boot.py');
      if (this.scriptExists('main.py')) {
        onRunning();
        this.runScript('main.py');
        this.showBanner(() => this.o.interpreter().replInit());
        return;
      }
    }
    this.showBanner(() => this.o.interpreter().replInit());
    onRunning();
  }

  /** Serve bytes until the host asks the worker to stop. */
  async serve(): Promise<void> {
    for (;;) {
      const byte = this.nextByte();
      if (byte === undefined) return;
      const result = this.mode === 'raw' ? this.rawByte(byte) : this.friendlyByte(byte);
      if (result === 'stop') return;
      if (result !== 0) await this.softReset();
    }
  }

  /** Next byte from the link, blocking while idle; undefined when asked to stop. */
  private nextByte(): number | undefined {
    for (;;) {
      // read before `idle`: a file request or byte that comes after it wakes the wait below
      const sequence = this.o.reader.wakeSequence();
      this.o.idle?.();
      const byte = this.o.reader.take();
      if (byte !== undefined) return byte;
      if (this.o.reader.stopRequested()) return undefined;
      this.o.out.flush();
      this.o.reader.publish(0, -1);
      this.o.reader.waitForChange(sequence, Number.POSITIVE_INFINITY);
    }
  }

  private friendlyByte(byte: number): number {
    const mp = this.o.interpreter();
    if (byte === CTRL_B) return this.showBanner(() => mp.replProcessChar(byte));
    if (byte === CTRL_A) {
      let result = 0;
      const text = this.o.captured(() => {
        result = mp.replProcessChar(byte);
      });
      if (text.includes(RAW_BANNER)) this.enterRaw();
      this.o.out.pushAll(text);
      return result;
    }
    // Enter runs a line; Ctrl-D ends paste mode (runs it) or soft-resets.
    const runs = byte === 13 || byte === 10 || byte === CTRL_D;
    return runs ? this.execute(() => mp.replProcessChar(byte)) : mp.replProcessChar(byte);
  }

  private rawByte(byte: number): number | 'stop' {
    const mp = this.o.interpreter();
    if (this.o.legacyLine) return this.legacyRawByte(mp, this.o.legacyLine, byte);
    if (this.o.legacy && byte === CTRL_E) return 0; // old firmware: never reaches the port
    if (!this.o.legacy) {
      if (this.held.length === 0 && this.rawLineLength === 0 && byte === CTRL_E) {
        this.held.push(byte);
        return 0;
      }
      if (this.held.length === 1 && byte === 0x41) {
        this.held.push(byte);
        return 0;
      }
      if (this.held.length === 2 && byte === CTRL_A) {
        this.held = [];
        return this.rawPaste();
      }
      for (const early of this.held.splice(0)) this.feedRaw(mp, early);
    }
    return this.feedRaw(mp, byte);
  }

  /** The micro:bit's raw REPL: no raw-paste (`\x05A\x01` is a line that Ctrl-A clears). */
  private legacyRawByte(mp: MicroPython, line: LegacyRawLine, byte: number): number {
    if (line.isHung) return 0;
    if (byte === CTRL_A || byte === CTRL_B || byte === CTRL_C) {
      line.clear();
      return this.feedRaw(mp, byte);
    }
    if (byte !== CTRL_D) {
      line.add(byte);
      return 0;
    }
    if (line.isEmpty) return this.feedRaw(mp, byte);
    const { bytes, error } = line.take();
    if (error !== undefined) {
      this.o.out.pushAll(`OK\x04${error}\x04>`);
      this.o.afterExec();
      return 0;
    }
    for (const code of bytes) mp.replProcessChar(code);
    return this.feedRaw(mp, CTRL_D);
  }

  private feedRaw(mp: MicroPython, byte: number): number {
    if (byte === CTRL_B) {
      this.mode = 'friendly';
      this.rawLineLength = 0;
      return this.showBanner(() => mp.replProcessChar(byte));
    }
    if (byte === CTRL_A || byte === CTRL_C) {
      this.rawLineLength = 0;
      return mp.replProcessChar(byte);
    }
    if (byte === CTRL_D) {
      this.rawLineLength = 0;
      return this.execute(() => mp.replProcessChar(byte));
    }
    this.rawLineLength++;
    return mp.replProcessChar(byte);
  }

  /**
   * Raw-paste as MicroPython's pyexec does it: announce a window, ask for more with `\x01`
   * after each window consumed, `\x04` ends the data (acknowledged with `\x04`), Ctrl-C aborts.
   */
  private rawPaste(): number | 'stop' {
    const window = this.o.rawPasteWindow;
    this.o.out.pushAll(new Uint8Array([0x52, 0x01, window & 0xff, window >> 8, 0x01]));
    const code: number[] = [];
    let remain = window;
    for (;;) {
      const byte = this.nextByte();
      if (byte === undefined) return 'stop';
      if (byte === CTRL_C) {
        this.o.out.pushAll('\x04\x04KeyboardInterrupt: \r\n\x04>');
        return 0;
      }
      if (byte === CTRL_D) break;
      code.push(byte);
      if (--remain === 0) {
        this.o.out.pushAll('\x01');
        remain = window;
      }
    }
    this.o.out.pushAll('\x04');
    const mp = this.o.interpreter();
    for (const byte of code) {
      if (byte === CTRL_A || byte === CTRL_B) {
        // Data in raw-paste, but control characters to the port's raw REPL that runs the code:
        // pass them as the escape that means the same inside the string literal they must be in.
        for (const c of Buffer.from(`\\x0${byte}`, 'latin1')) mp.replProcessChar(c);
      } else {
        mp.replProcessChar(byte);
      }
    }
    // The port's raw REPL says `OK` before running; raw-paste output has no `OK`.
    this.o.dropOutput('OK');
    return this.execute(() => mp.replProcessChar(CTRL_D));
  }

  private execute(action: () => number): number {
    this.o.reader.takeInterrupt();
    this.o.reader.publish(BUSY_CODE, 3);
    try {
      return action();
    } finally {
      this.o.reader.publish(0, -1);
      this.o.afterExec();
    }
  }

  private enterRaw(): void {
    this.mode = 'raw';
    this.rawLineLength = 0;
    this.held = [];
    this.o.legacyLine?.clear();
  }

  /** Run an action that prints the port's banner, with the board's name in it. */
  private showBanner(action: () => unknown): number {
    let result = 0;
    const text = this.o.captured(() => {
      const value = action();
      result = typeof value === 'number' ? value : 0;
    });
    const banner = this.o.legacy
      ? text.replace(/MicroPython \S+ on \S+; JS with Emscripten/, LEGACY_BANNER)
      : text.replace('; JS with Emscripten', '; mpy-sim with webassembly');
    this.o.out.pushAll(banner);
    return result;
  }

  private scriptExists(name: string): boolean {
    try {
      this.o.interpreter().FS.stat(`/${name}`);
      return true;
    } catch {
      return false;
    }
  }

  private runScript(name: string): void {
    this.o.reader.takeInterrupt();
    this.o.reader.publish(BUSY_SCRIPT, 3);
    try {
      this.o.interpreter().runPython(`__import__('_mpysim').run_file('${name}', globals())`);
    } catch (error) {
      this.o.out.pushAll(`${String(error)}\r\n`);
    } finally {
      this.o.reader.publish(0, -1);
      this.o.afterExec();
    }
  }

  /** Soft reset: same flash, fresh interpreter, back in the same REPL mode. */
  private async softReset(): Promise<void> {
    const wasRaw = this.mode === 'raw';
    this.o.afterExec();
    this.o.out.pushAll('MPY: soft reboot\r\n');
    this.o.out.flush();
    const mp = await this.o.newInterpreter();
    this.o.legacyLine?.reset();
    this.runScript('boot.py');
    if (wasRaw) {
      // Real boards skip main.py when the soft reset came from the raw REPL.
      this.o.captured(() => {
        mp.replInit();
        mp.replProcessChar(CTRL_A);
      });
      this.o.out.pushAll(`${RAW_BANNER}>`);
      this.enterRaw();
    } else {
      this.runScript('main.py');
      this.showBanner(() => mp.replInit());
      this.mode = 'friendly';
    }
  }
}
