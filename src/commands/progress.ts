// src/commands/progress.ts: a one-line progress bar on stderr, shown only on a terminal and only
// once a transfer has run for a second (short copies stay silent, pipes stay clean).
import type { CommandContext } from './types.js';

/** Progress of one transfer; `update` fits `WriteOptions.onProgress`. */
export interface Progress {
  update(done: number, total: number): void;
  /** Clear the bar if it was drawn. */
  end(): void;
}

const SHOW_AFTER_MS = 1000;
const WIDTH = 24;

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** A progress bar for `label`, silent unless stdout is a TTY. */
export function startProgress(context: CommandContext, label: string): Progress {
  const started = Date.now();
  let drawn = false;
  let last = 0;
  return {
    update(done, total) {
      if (!context.isTTY) return;
      const now = Date.now();
      if (now - started < SHOW_AFTER_MS || (now - last < 100 && done < total)) return;
      last = now;
      const fraction = total > 0 ? done / total : 1;
      const filled = Math.round(fraction * WIDTH);
      const rate = done / Math.max((now - started) / 1000, 0.001);
      const bar = '#'.repeat(filled) + '.'.repeat(WIDTH - filled);
      context.err(
        `\r${label} [${bar}] ${Math.floor(fraction * 100)}% ${kib(done)} ${kib(rate)}/s\x1b[K`,
      );
      drawn = true;
    },
    end() {
      if (drawn) context.err('\r\x1b[K');
      drawn = false;
    },
  };
}
