// src/mip/package-json.ts: read a package.json of micropython-lib's format (v1: `hashes`, `urls`,
// `deps`, `version`) and check its shape, so a broken file fails with one line naming it.
import { MpyError } from '../errors.js';

/** A package.json as mip reads it; every list may be empty. */
export interface PackageJson {
  /** [path in the target, short sha256 hex] pairs, fetched from `{index}/file/{h[:2]}/{h}`. */
  hashes: Array<[string, string]>;
  /** [path in the target, URL or path relative to the package.json] pairs. */
  urls: Array<[string, string]>;
  /** [package spec, version or undefined] pairs, installed after the files. */
  deps: Array<[string, string | undefined]>;
  /** The package's version, when it says. */
  version: string | undefined;
}

function invalid(where: string, why: string): MpyError {
  return new MpyError(`Invalid package.json ${where}: ${why}`);
}

function pairs(value: unknown, field: string, where: string, optionalSecond = false) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(where, `"${field}" is not a list`);
  return value.map((entry: unknown): [string, string | undefined] => {
    const ok =
      Array.isArray(entry) &&
      typeof entry[0] === 'string' &&
      (typeof entry[1] === 'string' || (optionalSecond && entry[1] == null)) &&
      entry.length <= 2;
    if (!ok) throw invalid(where, `"${field}" entry ${JSON.stringify(entry)} is not a pair`);
    return [entry[0] as string, (entry[1] as string | null | undefined) ?? undefined];
  });
}

/** A target path a package may write: relative, no `..`, not empty. */
function checkTargetPath(path: string, where: string): void {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || parts.some((p) => p === '..' || p === '')) {
    throw invalid(where, `bad file path ${JSON.stringify(path)}`);
  }
}

/**
 * Parse the bytes of a package.json fetched from or read at `where`. Throws `MpyError`
 * (`Invalid package.json WHERE: …`) for bad JSON, a wrong shape, or a path outside the target.
 */
export function parsePackageJson(data: Uint8Array, where: string): PackageJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch (error) {
    throw invalid(where, error instanceof Error ? error.message : String(error));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid(where, 'not a JSON object');
  }
  const fields = json as Record<string, unknown>;
  const hashes = pairs(fields.hashes, 'hashes', where) as Array<[string, string]>;
  const urls = pairs(fields.urls, 'urls', where) as Array<[string, string]>;
  const deps = pairs(fields.deps, 'deps', where, true);
  for (const [path, hash] of hashes) {
    checkTargetPath(path, where);
    if (!/^[0-9a-f]{4,64}$/i.test(hash)) throw invalid(where, `bad hash ${JSON.stringify(hash)}`);
  }
  for (const [path] of urls) checkTargetPath(path, where);
  const version = fields.version;
  return {
    hashes,
    urls,
    deps,
    version: typeof version === 'string' && version !== '' ? version : undefined,
  };
}
