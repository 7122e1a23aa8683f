// src/fuse/paths.ts: the few path helpers the FUSE layer needs; FUSE paths are already absolute
// board paths (`/lib/x.py`), so no host path logic applies.

/** Parent folder of an absolute path; `/` for top-level names and for `/` itself. */
export function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** Last component of an absolute path (`''` for `/`). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `dir` + `/` + `name` without doubling the slash at the root. */
export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** True when `path` is `root` or lies below it. */
export function isWithin(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(`${root}/`);
}
