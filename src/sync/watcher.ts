// src/sync/watcher.ts: chokidar on the watched folder, its events gathered into bursts (save-all,
// git checkout, an editor's write-temp-then-rename) that each become one sync.
import { relative, sep } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

/**
 * Collects items and hands them over once nothing new arrived for `quietMs`, or at the latest
 * `maxWaitMs` after the first item of the burst (so a never-ending stream still syncs).
 */
export class Debouncer<T> {
  private items = new Set<T>();
  private quietTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onBurst: (items: T[]) => void,
    private readonly quietMs = 75,
    private readonly maxWaitMs = 1000,
  ) {}

  add(item: T): void {
    this.items.add(item);
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.flush(), this.quietMs);
    this.maxTimer ??= setTimeout(() => this.flush(), this.maxWaitMs);
  }

  /** True while a burst is being gathered. */
  get pending(): boolean {
    return this.items.size > 0;
  }

  /** Hand over what is pending now. */
  flush(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.maxTimer);
    this.quietTimer = undefined;
    this.maxTimer = undefined;
    if (this.items.size === 0) return;
    const items = [...this.items];
    this.items = new Set();
    this.onBurst(items);
  }

  /** Drop pending items and timers. */
  cancel(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.maxTimer);
    this.quietTimer = undefined;
    this.maxTimer = undefined;
    this.items.clear();
  }
}

/** Where bursts go and what not to watch. */
export interface FolderWatcherOptions {
  /** Called with the relative, `/`-separated paths that changed in one burst. */
  onBurst: (paths: string[]) => void;
  /** Called at the first event of a burst, before the quiet time that ends it. */
  onBurstStart?: () => void;
  /** Paths (relative) not worth watching at all, e.g. `.git`; the syncer filters the rest. */
  skip?: (path: string, isDir: boolean) => boolean;
  onError?: (error: Error) => void;
  quietMs?: number;
  maxWaitMs?: number;
}

/** Watches a folder recursively and reports bursts of changed paths. */
export class FolderWatcher {
  private readonly debouncer: Debouncer<string>;
  private watcher: FSWatcher | undefined;

  constructor(
    readonly folder: string,
    private readonly options: FolderWatcherOptions,
  ) {
    this.debouncer = new Debouncer(options.onBurst, options.quietMs, options.maxWaitMs);
  }

  /** Start watching; resolves once the initial scan is done and events are live. */
  async start(): Promise<void> {
    const watcher = watch(this.folder, {
      ignoreInitial: true,
      // The debouncer already merges an editor's temp-write + rename into one burst.
      atomic: false,
      ignored: (path, stats) => {
        const rel = this.relative(path);
        if (rel === '' || !this.options.skip) return false;
        return this.options.skip(rel, stats?.isDirectory() ?? false);
      },
    });
    this.watcher = watcher;
    watcher.on('all', (_event, path) => {
      if (!this.debouncer.pending) this.options.onBurstStart?.();
      this.debouncer.add(this.relative(path));
    });
    watcher.on('error', (error) => this.options.onError?.(error as Error));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  /** Stop watching and drop pending events. */
  async close(): Promise<void> {
    this.debouncer.cancel();
    await this.watcher?.close();
    this.watcher = undefined;
  }

  private relative(path: string): string {
    return relative(this.folder, path).split(sep).join('/');
  }
}
