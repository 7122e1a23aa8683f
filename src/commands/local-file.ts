// src/commands/local-file.ts: write a file that came from the board onto the computer as the board
// side writes: a hidden temp file beside the target, synced, then renamed over it, so a write
// that fails (disk full, a file-size limit) leaves the old file as it was. Targets that are not
// regular files (a terminal, a pipe, /dev/null, /dev/full) are written in place.
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The longest file name ext4, btrfs, APFS and NTFS take, in bytes. */
const NAME_MAX = 255;
/** Bytes per write to a device or pipe: a reader (or `/dev/full`'s error) is met early. */
const CHUNK = 64 * 1024;

/**
 * The temp name for `name` in the same folder (so the rename stays on one filesystem):
 * `.name.mpy-1a2b3c4d`, or `.mpy-1a2b3c4d` when that would pass the filesystem's name limit.
 */
export function localTempName(name: string): string {
  const tag = randomBytes(4).toString('hex');
  const beside = `.${name}.mpy-${tag}`;
  return Buffer.byteLength(beside) <= NAME_MAX ? beside : `.mpy-${tag}`;
}

async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.length; ) {
    const { bytesWritten } = await handle.write(data, at, Math.min(CHUNK, data.length - at));
    at += bytesWritten;
  }
}

/** Write to a device, pipe or terminal as it is: no temp file can be renamed over one. */
async function writeInPlace(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await writeAll(handle, data);
  } finally {
    await handle.close();
  }
}

/**
 * Write `data` to `path` on the computer, all or nothing: the old file stays whole until the new
 * one is complete and synced. A link is followed (the file it names is replaced, the link stays);
 * the file keeps its permissions. A target that is not a regular file is written in place.
 * Throws Node's error (`ENOSPC`, `EACCES`, …) after removing the temp file.
 */
export async function writeLocalFile(path: string, data: Uint8Array): Promise<void> {
  const old = await stat(path).catch(() => undefined);
  if (old && !old.isFile()) return writeInPlace(path, data);
  const target = old ? await realpath(path) : path;
  const temp = join(dirname(target), localTempName(basename(target)));
  let handle: FileHandle;
  try {
    handle = await open(temp, 'wx');
  } catch (error) {
    // A file the user may write in a folder they may not (a shared config folder): writing it
    // in place is what was asked, even without the safety net.
    const code = (error as NodeJS.ErrnoException).code;
    if (old && (code === 'EACCES' || code === 'EPERM')) return writeInPlace(path, data);
    throw error;
  }
  try {
    try {
      if (old) await handle.chmod(old.mode & 0o7777);
      await writeAll(handle, data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}
