// src/sim/flash.ts: the board's flash: the MEMFS root, mirrored to a host folder.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EmscriptenFS } from '@micropython/micropython-webassembly-pyscript';

const BLOCK = 4096;
const EMSCRIPTEN_ENOSPC = 51;
const EMSCRIPTEN_EPERM = 63;

/** Remove everything emscripten put at `/` (tmp, home, dev, proc): a board's `/` is the user's. */
export function clearRoot(FS: EmscriptenFS): void {
  // A special directory whose own lookup refuses; it goes first so /proc can be emptied.
  FS.rmdir('/proc/self/fd');
  const remove = (full: string): void => {
    if (FS.isDir(FS.lstat(full).mode)) {
      for (const name of FS.readdir(full))
        if (name !== '.' && name !== '..') remove(`${full}/${name}`);
      FS.rmdir(full);
    } else {
      FS.unlink(full);
    }
  };
  for (const name of FS.readdir('/')) if (name !== '.' && name !== '..') remove(`/${name}`);
}

/**
 * Copy the host folder (created if missing) into `/`. The console streams stay usable:
 * fds 0-2 were opened before /dev went away.
 */
export function loadFlash(FS: EmscriptenFS, hostDir: string): void {
  fs.mkdirSync(hostDir, { recursive: true });
  const copy = (host: string, board: string): void => {
    for (const entry of fs.readdirSync(host, { withFileTypes: true })) {
      const from = path.join(host, entry.name);
      const to = `${board}/${entry.name}`;
      if (entry.isDirectory()) {
        FS.mkdir(to);
        copy(from, to);
      } else if (entry.isFile()) {
        FS.writeFile(to, fs.readFileSync(from));
      }
    }
  };
  copy(hostDir, '');
}

/** Visit every file and directory on the flash; `rel` is the path without the leading `/`. */
function walkFlash(
  FS: EmscriptenFS,
  visit: (rel: string, full: string, isDir: boolean) => void,
): void {
  const walk = (dir: string, rel: string): void => {
    for (const name of FS.readdir(dir || '/')) {
      if (name === '.' || name === '..') continue;
      const full = `${dir}/${name}`;
      const relName = rel ? `${rel}/${name}` : name;
      const mode = FS.stat(full).mode;
      if (FS.isDir(mode)) {
        visit(relName, full, true);
        walk(full, relName);
      } else if (FS.isFile(mode)) {
        visit(relName, full, false);
      }
    }
  };
  walk('', '');
}

/** Files and directories on the flash: relative path -> contents (null = directory). */
function snapshot(FS: EmscriptenFS): Map<string, Uint8Array | null> {
  const found = new Map<string, Uint8Array | null>();
  walkFlash(FS, (rel, full, isDir) => found.set(rel, isDir ? null : FS.readFile(full)));
  return found;
}

/** Make the host folder equal to the flash: write changed files, remove what was deleted. */
export function saveFlash(FS: EmscriptenFS, hostDir: string): void {
  const board = snapshot(FS);
  fs.mkdirSync(hostDir, { recursive: true });
  const prune = (host: string, rel: string): void => {
    for (const entry of fs.readdirSync(host, { withFileTypes: true })) {
      const relName = rel ? `${rel}/${entry.name}` : entry.name;
      const full = path.join(host, entry.name);
      const wanted = board.get(relName);
      if (entry.isDirectory()) {
        if (wanted === null) prune(full, relName);
        else fs.rmSync(full, { recursive: true, force: true });
      } else if (wanted === undefined || wanted === null) {
        fs.rmSync(full, { recursive: true, force: true });
      }
    }
  };
  prune(hostDir, '');
  for (const [rel, contents] of board) {
    const full = path.join(hostDir, ...rel.split('/'));
    if (contents === null) {
      fs.mkdirSync(full, { recursive: true });
      continue;
    }
    let same = false;
    try {
      same = Buffer.compare(fs.readFileSync(full), contents) === 0;
    } catch {
      same = false;
    }
    if (!same) fs.writeFileSync(full, contents);
  }
}

/** Bytes in use on the flash, each file rounded up to whole blocks like littlefs. */
export function flashUsed(FS: EmscriptenFS): number {
  let used = 0;
  walkFlash(FS, (_rel, full, isDir) => {
    used += isDir ? BLOCK : Math.ceil(FS.stat(full).size / BLOCK) * BLOCK;
  });
  return used;
}

interface MemfsNode {
  usedBytes?: number;
}
type StreamWrite = (
  stream: { node: MemfsNode },
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
  canOwn?: boolean,
) => number;

/**
 * Make writes to the flash fail with ENOSPC once the flash is full. MEMFS shares one
 * stream_ops object between all regular files, so patching it once covers every file.
 */
export function limitFlash(FS: EmscriptenFS, flashSize: number): void {
  const probe = FS.open('/tmp/.mpysim-probe', 'w');
  const ops = probe.stream_ops as { write: StreamWrite; __mpysimLimited?: boolean };
  FS.close(probe);
  FS.unlink('/tmp/.mpysim-probe');
  if (ops.__mpysimLimited) return;
  const write = ops.write;
  ops.write = function limitedWrite(stream, buffer, offset, length, position, canOwn) {
    if (!FS.getPath(stream.node).startsWith('/dev/')) {
      const before = stream.node.usedBytes ?? 0;
      const after = Math.max(before, position + length);
      const grow = Math.ceil(after / BLOCK) * BLOCK - Math.ceil(before / BLOCK) * BLOCK;
      if (grow > 0 && flashUsed(FS) + grow > flashSize) throw new FS.ErrnoError(EMSCRIPTEN_ENOSPC);
    }
    return write.call(this, stream, buffer, offset, length, position, canOwn);
  };
  ops.__mpysimLimited = true;
}

/** Old flat filesystems (micro:bit) have no directories: mkdir fails with EPERM. */
export function forbidDirectories(FS: EmscriptenFS): void {
  const target = FS as unknown as { mkdir: (path: string, mode?: number) => unknown };
  target.mkdir = (): unknown => {
    throw new FS.ErrnoError(EMSCRIPTEN_EPERM);
  };
}

/** micro:bit v1 flash: 128-byte chunks, 126 bytes of data each, the first also holding the name. */
const MICROBIT_CHUNK = 128;
const MICROBIT_CHUNK_DATA = 126;
/** How mpysim_legacy.py keeps a `/` of a micro:bit file name in the sim's file name. */
const MICROBIT_SLASH = '\u2215';

/** Chunks a micro:bit flash of `flashSize` bytes has (120 on a v1 with MicroPython 1.9.2). */
export function microbitChunks(flashSize: number): number {
  return Math.floor(flashSize / MICROBIT_CHUNK);
}

/**
 * Chunks the files on the flash take on a micro:bit: name length + 2 header bytes + data, a
 * new chunk taken as soon as one is full (so a file ending on a chunk boundary has one more).
 */
export function microbitChunksUsed(FS: EmscriptenFS): number {
  let used = 0;
  walkFlash(FS, (rel, full, isDir) => {
    if (isDir) return;
    const nameLength = Buffer.byteLength(rel.replaceAll(MICROBIT_SLASH, '/'));
    used += Math.floor((2 + nameLength + FS.stat(full).size) / MICROBIT_CHUNK_DATA) + 1;
  });
  return used;
}
