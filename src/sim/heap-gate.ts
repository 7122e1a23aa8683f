// src/sim/heap-gate.ts: keep the port from growing its Python heap (the legacy profile's small heap).

import type { EmscriptenModule } from '@micropython/micropython-webassembly-pyscript';

/** Blocks down to this size are taken from the system allocator while the gate is shut. */
const HOLD_MIN = 2048;
/**
 * Left free while shut, for the JS glue's own allocations (a string passed to Python is copied
 * through malloc). Far below the smallest heap area the port adds (the size of its whole
 * heap, 64 KB or more), even merged with the free blocks below HOLD_MIN on either side.
 */
const RESERVE = 16 * 1024;

type Resize = (requestedSize: number) => number | boolean;

/**
 * The port cannot scan wasm locals for pointers, so it never collects garbage while Python
 * runs: when the heap is full it mallocs a new heap area instead, and a small `heapsize` never
 * raises MemoryError. While the gate is shut, malloc cannot give it one: growing the wasm
 * memory is refused and the allocator's free blocks are held, so an allocation the heap cannot
 * satisfy raises MemoryError as on a small board. One gate per interpreter.
 */
export class HeapGate {
  private shut = false;
  private held: number[] = [];
  private module: EmscriptenModule | undefined;

  /** Wrap the memory-growth import of the instance being created. */
  wrapImports(env: Record<string, unknown>): void {
    const resize = env.emscripten_resize_heap as Resize | undefined;
    if (typeof resize !== 'function') return;
    env.emscripten_resize_heap = (requestedSize: number) =>
      this.shut ? false : resize(requestedSize);
  }

  /** The instance, once it runs (its malloc and free). */
  attach(module: EmscriptenModule): void {
    this.module = module;
  }

  /** Shut: the Python heap stays the size it is now. Idempotent. */
  close(): void {
    const module = this.module;
    if (this.shut || !module) return;
    const reserve = module._malloc(RESERVE);
    this.shut = true;
    for (let size = 1 << 30; size >= HOLD_MIN; size >>>= 1) {
      for (;;) {
        const block = module._malloc(size);
        if (!block) break;
        this.held.push(block);
      }
    }
    if (reserve) module._free(reserve);
  }

  /** Open: the port may grow its heap again. Idempotent. */
  open(): void {
    const module = this.module;
    if (!module) return;
    for (const block of this.held.splice(0)) module._free(block);
    this.shut = false;
  }
}
