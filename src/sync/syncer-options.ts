// src/sync/syncer-options.ts: what a Syncer is told (folder, board folder, delete rule, how to
// reach the board) and what its preview of a sync says.
import type { SyncCheck } from './compare.js';
import type { FileState, SyncAction } from './plan.js';
import type { SyncReport } from './report.js';
import type { AfterSync, BoardSession } from './session.js';

/** What to sync where, how to reach the board, and what to run after each sync. */
export interface SyncerOptions {
  /** Local folder. */
  folder: string;
  /** Board folder, absolute (`/`, `/app`). */
  target: string;
  /** Which board files missing from the folder go: all (`--delete`), none (`--no-delete`), or
   * `local`: those the folder held at some sync of this Syncer, i.e. deleted locally since
   * (`watch` and `dev` by default: a board's own files, `wifi.json` or logs, stay). */
  delete: boolean | 'local';
  /** Extra gitignore-style patterns (`--ignore`). */
  ignore?: readonly string[];
  /** Opens a new connection; called again after the link is lost. */
  connect: () => Promise<BoardSession>;
  afterSync?: AfterSync;
  /** Progress lines (`synced …`, `board lost …`). */
  log?: (line: string) => void;
  /** How a sync's progress line reads (default `describeSync`; undefined: no line). */
  describe?: (report: SyncReport) => string | undefined;
  /** Stops reconnect attempts. */
  signal?: AbortSignal;
  /** Reconnect backoff in ms: first delay, doubled up to the maximum. */
  backoff?: { initialMs: number; maxMs: number };
  /** `--mpy`: send each `x.py` (but `boot.py`, `main.py`) compiled, as `x.mpy`. The board must
   * load .mpy version 6, else the first sync throws; a syntax error fails the sync (a
   * `CompileError` saying `file:line: message`) before anything is sent. */
  mpy?: boolean;
  /** Reconnect (with backoff) when the link is lost after the first connection (default true;
   * false for a one-shot sync, which fails instead). */
  reconnect?: boolean;
  /** After a sync, send ahead what the next edit needs (default true; a one-shot sync has no
   * next edit). */
  prepareEdits?: boolean;
}

/** What a sync would do, worked out against the board's files and changing nothing. */
export interface SyncPreview {
  actions: SyncAction[];
  /** The board's files below the target before the sync (relative paths). */
  remote: Map<string, FileState>;
  /** The folder's files as they would go (compiled names with `--mpy`). */
  local: Map<string, FileState>;
  /** The board and the folder compared, as before the sync. */
  check: SyncCheck;
}
