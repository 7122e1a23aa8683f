// src/sim/legacy-heap.ts: the worker's side of the legacy heap (mpysim_heap.py): fit, test-compile.

import type { MicroPython } from '@micropython/micropython-webassembly-pyscript';
import { HeapGate } from './heap-gate.js';

/** The functions of mpysim_heap.py the worker calls (each call is a top-level call). */
interface HeapModule {
  collect(): void;
  calibrate(): number;
  fit(credit: number): number;
  trial_compile(): string | null;
}

/** One per legacy interpreter. */
export class LegacyHeap {
  readonly gate = new HeapGate();
  /** The code being test-compiled, handed to Python by `js.mpySim.rawSource()`. */
  source = '';
  /** The micro:bit's free heap after the last fit, with the user's objects alive. */
  idleFree = 0;
  private module: HeapModule | undefined;

  /** Measure the sim's own heap use and fit the ballast (the interpreter has just started). */
  start(mp: MicroPython): void {
    // Imported first: the proxy's own heap use is the sim's.
    const module = mp.pyimport('_mpysim_heap') as unknown as HeapModule;
    this.module = module;
    module.collect();
    this.idleFree = module.calibrate();
  }

  /** Fit the ballast to the user's objects; `credit` bytes more stay free until the next fit. */
  fit(credit = 0): void {
    if (!this.module) return;
    // The port collects garbage at the end of a call, when asked: the fit must see live objects.
    this.module.collect();
    this.idleFree = this.module.fit(Math.max(0, Math.floor(credit)));
  }

  /**
   * Compile `source` in a micro:bit-sized heap with `credit` bytes more (what the port's line
   * buffer already holds). Undefined when it fits, else the error text the firmware prints.
   */
  checkCompile(source: string, credit: number): string | undefined {
    if (!this.module) return undefined;
    this.fit(credit);
    this.source = source;
    try {
      return this.module.trial_compile() ?? undefined;
    } finally {
      this.source = '';
      // The credit was for the trial only: the port's line buffer now holds the code.
      if (credit > 0) this.fit();
    }
  }
}
