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

/** Temporary name for an atomic write of `path`, in the same folder so rename stays on one
 * filesystem: `/lib/.x.py.mpy-tmp` (relative paths stay relative). py/ok.py `clean` removes
 * strays by this pattern. */
export function tempPathFor(path: string): string {
  const cut = path.lastIndexOf('/') + 1;
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
