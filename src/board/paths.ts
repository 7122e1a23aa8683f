// src/board/paths.ts: pure helpers for absolute board paths (`/lib/x.py`), always `/`-separated.

/** Collapse `//`, `.` and `..`; always absolute, no trailing slash except for `/`. */
export function normalizeBoardPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** The folder holding `path` (`/` for top-level names; `` for a relative name alone: the
 * board's own folder). */
export function boardDirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : path.slice(0, i);
}

/** The last part of `path`. */
export function boardBasename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `folder/name` without doubling the slash at the root; `` (the board's own folder) + `name`
 * is `name`. */
export function joinBoardPath(folder: string, name: string): string {
  if (folder === '') return name;
  return folder.endsWith('/') ? folder + name : `${folder}/${name}`;
}

/** Longest name littlefs and FAT store: 255 bytes (FAT counts UTF-16 units, never more). */
export const NAME_MAX = 255;

/** The temp name of a target whose own temp name would pass NAME_MAX. Stripped as py/ok.py
 * `clean` maps a temp back to its target (`.NAME.mpy-tmp` → `NAME`) it names the folder itself,
 * never a file: so a stray one, or its `-new`/`-old` form (py/mvr.py), is only ever removed,
 * never renamed over a file or taken for an empty new one. One upload at a time per folder. */
const SHORT_TEMP = '..mpy-tmp';

/** Whether `path`'s usual temp name is too long for the filesystem (see SHORT_TEMP). */
export function needsShortTemp(path: string): boolean {
  const name = boardBasename(path);
  return new TextEncoder().encode(`.${name}.mpy-tmp`).length > NAME_MAX;
}

/** Temporary name for an atomic write of `path`, in the same folder so rename stays on one
 * filesystem: `/lib/.x.py.mpy-tmp` (relative paths stay relative), or `/lib/..mpy-tmp` for a
 * name of 247 bytes or more. py/ok.py `clean` removes strays by this pattern. */
export function tempPathFor(path: string): string {
  const cut = path.lastIndexOf('/') + 1;
  if (needsShortTemp(path)) return `${path.slice(0, cut)}${SHORT_TEMP}`;
  return `${path.slice(0, cut)}.${path.slice(cut)}.mpy-tmp`;
}

/**
 * A path relative to the board's own current folder, for a board that cannot say which it is
 * (a filesystem without getcwd): `.` and `..` collapsed, no leading `/`, `.` for the folder
 * itself as ``. The board resolves it, as mpremote lets it.
 */
export function relativeBoardPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else parts.push(part);
  }
  // '' for the folder itself: FAT's os.stat('.') is EINVAL, and micro:bit's listdir takes no '.'
  return parts.join('/');
}
