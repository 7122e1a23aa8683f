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

/** The folder holding `path` (`/` for top-level names). */
export function boardDirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The last part of `path`. */
export function boardBasename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `folder/name` without doubling the slash at the root. */
export function joinBoardPath(folder: string, name: string): string {
  return folder.endsWith('/') ? folder + name : `${folder}/${name}`;
}

/** Temporary name for an atomic write of `path`, in the same folder so rename stays on one
 * filesystem: `/lib/.x.py.mpy-tmp`. py/core.py `clean` removes strays by this pattern. */
export function tempPathFor(path: string): string {
  return joinBoardPath(boardDirname(path), `.${boardBasename(path)}.mpy-tmp`);
}
