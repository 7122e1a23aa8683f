// src/commands/pending.ts: the computer's note of the board folders where a write is under way,
// one small file per device in ~/.cache/mpy/pending (MPY_PENDING_DIR elsewhere). A write that
// ends, well or with the board's own error, takes its folder off the note; a process killed
// mid-write, a pulled cable or a board that lost power leaves it. The next mpy command on that
// device, whatever it is, then sweeps those folders first (py/once/cm.py `_s`: a FAT replace cut
// between its two renames is finished or rolled back, temp files go) and drops the note. While
// no note is left this costs a stat of the computer's disk and nothing on the wire.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { WriteJournal } from '../board/board.js';

/** Where the notes live. */
export function pendingDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MPY_PENDING_DIR) return env.MPY_PENDING_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mpy', 'pending');
}

/** The note of one device. */
export class PendingWrites implements WriteJournal {
  private readonly file: string;
  /** Writes under way in each folder (a tree upload holds a folder while its files go one by
   * one). */
  private readonly open = new Map<string, number>();

  constructor(
    device: string,
    private readonly dir = pendingDir(),
  ) {
    this.file = join(dir, encodeURIComponent(device));
  }

  /** The folders an earlier process left unfinished on this device; none when no note. */
  left(): string[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    try {
      const folders: unknown = JSON.parse(text);
      if (Array.isArray(folders)) return folders.filter((f) => typeof f === 'string');
    } catch {
      // a note cut short by a crash: sweep the board's own folder and root at least
    }
    return ['', '/'];
  }

  /** Drop the note (its folders were swept). */
  clear(): void {
    rmSync(this.file, { force: true });
  }

  begin(folders: string[]): void {
    let added = false;
    for (const folder of folders) {
      const count = this.open.get(folder) ?? 0;
      if (count === 0) added = true;
      this.open.set(folder, count + 1);
    }
    if (added) this.save();
  }

  end(folders: string[]): void {
    let removed = false;
    for (const folder of folders) {
      const count = this.open.get(folder) ?? 0;
      if (count <= 1) {
        removed ||= count === 1;
        this.open.delete(folder);
      } else this.open.set(folder, count - 1);
    }
    if (removed) this.save();
  }

  private save(): void {
    if (this.open.size === 0) {
      this.clear();
      return;
    }
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.file, JSON.stringify([...this.open.keys()]));
  }
}
