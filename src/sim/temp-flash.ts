// src/sim/temp-flash.ts: temporary flash folders for boards started without a flashDir.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Memory-only flashes live in temporary folders, removed by stop() or at the latest on exit. */
const temporaryDirs = new Set<string>();
let exitHookInstalled = false;

/** A new empty folder for a board's flash; removed on process exit if not before. */
export function temporaryFlashDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpy-sim-'));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const left of temporaryDirs) rmSync(left, { recursive: true, force: true });
    });
  }
  temporaryDirs.add(dir);
  return dir;
}

/** Remove a folder made by temporaryFlashDir(). */
export function removeFlashDir(dir: string): void {
  temporaryDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}
