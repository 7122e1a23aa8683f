// src/fuse/truncations.ts: truncations of files nobody has open, held back briefly because the
// kernel sends `open(O_TRUNC)` as truncate-then-open: the open that follows takes the truncated
// content over, so `> file`, `cp` over a file and editors' saves cost one board write, not two,
// and a failed write (ENOSPC) leaves the old file whole.
import { isWithin } from './paths.js';

/** How long a truncation waits for its open before it is written on its own. */
export const TRUNCATE_GRACE_MS = 50;

/** Truncated contents waiting to be claimed by an open or written by their timer. */
export class PendingTruncations {
  private readonly pending = new Map<string, { data: Uint8Array; timer: NodeJS.Timeout }>();

  /** `write` sends one truncated file to the board when no open claimed it in time. */
  constructor(
    private readonly write: (path: string, data: Uint8Array) => Promise<void>,
    private readonly graceMs = TRUNCATE_GRACE_MS,
  ) {}

  /** `path` now holds `data`; replaces an earlier pending truncation of it. */
  add(path: string, data: Uint8Array): void {
    this.take(path);
    const timer = setTimeout(() => void this.flush(path), this.graceMs);
    this.pending.set(path, { data, timer });
  }

  /** Claim (or drop) the pending truncation of `path`: its timer will not write it. */
  take(path: string): Uint8Array | undefined {
    const entry = this.pending.get(path);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(path);
    return entry.data;
  }

  /** Write every pending truncation at or below `path` now (before the board is asked about it). */
  async settle(path: string): Promise<void> {
    for (const pending of [...this.pending.keys()]) {
      if (isWithin(pending, path)) await this.flush(pending);
    }
  }

  private async flush(path: string): Promise<void> {
    const data = this.take(path);
    if (data) await this.write(path, data);
  }
}
