// src/sim/flash-mirror.ts: write flash changes through to the host folder as they happen.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EmscriptenFS } from '@micropython/micropython-webassembly-pyscript';

interface Stream {
  path?: string;
  flags?: number;
  node?: { mode: number };
}

type FsFunction = (...args: unknown[]) => unknown;

/** O_WRONLY | O_RDWR: the stream may have written. */
const WRITE_FLAGS = 3;

/**
 * Keep the host folder in step with the flash the way a board's flash is: a file is on it once
 * closed, a remove/rename/mkdir at once. A second process (`mpy ls` after `mpy cp`) or a test
 * reading the folder right after a command sees the result. Whatever cannot be mirrored
 * directly calls `markDirty` so the full save after the exec reconciles it; call the returned
 * function before that save (it marks files still open for writing).
 */
export function mirrorFlash(FS: EmscriptenFS, hostDir: string, markDirty: () => void): () => void {
  const target = FS as unknown as Record<string, FsFunction>;
  const hostPath = (boardPath: string): string =>
    path.join(hostDir, ...path.posix.normalize(boardPath).split('/').filter(Boolean));
  const onConsole = (boardPath: unknown): boolean =>
    typeof boardPath === 'string' && boardPath.startsWith('/dev/');

  const wrap = (name: string, after: (args: unknown[]) => void): void => {
    const original = target[name];
    if (typeof original !== 'function') return;
    target[name] = function mirrored(this: unknown, ...args: unknown[]): unknown {
      const result = original.apply(this, args);
      try {
        after(args);
      } catch {
        markDirty();
      }
      return result;
    };
  };

  // Streams written and not closed yet: their files are saved when the exec ends.
  const unsaved = new Set<Stream>();
  wrap('write', ([stream]) => {
    if (!onConsole((stream as Stream).path)) unsaved.add(stream as Stream);
  });
  wrap('close', ([stream]) => {
    unsaved.delete(stream as Stream);
    const { path: boardPath, flags = 0, node } = stream as Stream;
    if (!boardPath || onConsole(boardPath) || (flags & WRITE_FLAGS) === 0) return;
    if (!node || !FS.isFile(node.mode)) return;
    fs.writeFileSync(hostPath(boardPath), FS.readFile(boardPath));
  });
  wrap('unlink', ([boardPath]) => fs.rmSync(hostPath(boardPath as string), { force: true }));
  wrap('rmdir', ([boardPath]) =>
    fs.rmSync(hostPath(boardPath as string), { recursive: true, force: true }),
  );
  wrap('mkdir', ([boardPath]) => fs.mkdirSync(hostPath(boardPath as string), { recursive: true }));
  wrap('rename', ([from, to]) => fs.renameSync(hostPath(from as string), hostPath(to as string)));
  for (const name of ['truncate', 'ftruncate', 'mknod']) wrap(name, () => markDirty());
  return () => {
    if (unsaved.size > 0) markDirty();
  };
}
