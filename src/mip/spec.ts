// src/mip/spec.ts: what a `mip install` argument names (an index package, a URL, github:/gitlab:
// shorthand, a local package.json or folder) and mpremote's rewrite of the shorthands to raw URLs.

/** Where github: and gitlab: shorthands point; tests aim them at a local server. */
export interface GitHosts {
  /** Raw files of GitHub, `https://raw.githubusercontent.com`. */
  github: string;
  /** GitLab's site, `https://gitlab.com` (raw files at `/org/repo/-/raw/REF/path`). */
  gitlab: string;
}

export const DEFAULT_HOSTS: GitHosts = {
  github: 'https://raw.githubusercontent.com',
  gitlab: 'https://gitlab.com',
};

/** One parsed argument: the package part and the `@version` (or git ref) after it. */
export interface PackageSpec {
  name: string;
  version: string | undefined;
}

/** The kinds of source a spec can name. */
export type SpecKind =
  /** A micropython-lib name, looked up in the index. */
  | 'index'
  /** One .py or .mpy file at a URL (or github:/gitlab:). */
  | 'remote-file'
  /** A package.json at a URL (or github:/gitlab:, where `package.json` is added). */
  | 'remote-json'
  /** A package.json on this computer, or a folder holding one. */
  | 'local-json'
  /** One .py or .mpy file on this computer. */
  | 'local-file';

const URL_PREFIXES = ['http://', 'https://', 'github:', 'gitlab:'];

/** True for what mpremote downloads (http, https, github:, gitlab:); anything else is local. */
export function isRemote(location: string): boolean {
  return URL_PREFIXES.some((prefix) => location.startsWith(prefix));
}

function isModuleFile(location: string): boolean {
  return location.endsWith('.py') || location.endsWith('.mpy');
}

/**
 * Split `name@version`. mpremote splits on `@`; here an http(s) URL keeps an `@` that comes before
 * its last `/` (`https://user@host/x.py`), so only a trailing `@ref` is a version.
 */
export function parseSpec(arg: string): PackageSpec {
  const at = arg.lastIndexOf('@');
  const urlUser = /^https?:\/\//.test(arg) && arg.indexOf('/', at) !== -1;
  if (at <= 0 || urlUser) return { name: arg, version: undefined };
  const version = arg.slice(at + 1);
  return { name: arg.slice(0, at), version: version === '' ? undefined : version };
}

/**
 * What `name` is. Index names never hold a `/`, so anything path-like (a `/` or `\`, `.`, `..`,
 * or a `.json`/`.py`/`.mpy` ending) that is not a URL is a local path: mpremote only knows local
 * `.json` files; a local folder or module file is mpy's addition.
 */
export function specKind(name: string): SpecKind {
  if (isRemote(name)) return isModuleFile(name) ? 'remote-file' : 'remote-json';
  if (isModuleFile(name)) return 'local-file';
  if (name.endsWith('.json') || name === '.' || name === '..' || /[/\\]/.test(name)) {
    return 'local-json';
  }
  return 'index';
}

/** mpremote's rule: a URL that is not a module file or a .json names a folder's package.json. */
export function packageJsonUrl(url: string): string {
  if (url.endsWith('.json')) return url;
  return `${url.endsWith('/') ? url : `${url}/`}package.json`;
}

/**
 * `github:org/repo/path` -> `https://raw.githubusercontent.com/org/repo/REF/path`,
 * `gitlab:org/repo/path` -> `https://gitlab.com/org/repo/-/raw/REF/path`; REF is `ref` or `HEAD`
 * (the default branch). Other URLs are returned as they are.
 */
export function rewriteUrl(url: string, ref?: string, hosts: GitHosts = DEFAULT_HOSTS): string {
  const branch = ref || 'HEAD';
  for (const [prefix, base, middle] of [
    ['github:', hosts.github, ''],
    ['gitlab:', hosts.gitlab, '/-/raw'],
  ] as const) {
    if (!url.startsWith(prefix)) continue;
    const [org = '', repo = '', ...path] = url.slice(prefix.length).split('/');
    return `${base}/${org}/${repo}${middle}/${branch}/${path.join('/')}`;
  }
  return url;
}

/** The last part of a URL's path, the name a downloaded module file gets on the board. */
export function urlBasename(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}
