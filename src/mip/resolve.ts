// src/mip/resolve.ts: turn `mip install` specs into the files to write, dependencies included,
// all downloaded and checked before anything reaches the board (mpremote writes as it goes and
// may leave a package half installed when a later download fails).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { joinBoardPath, normalizeBoardPath } from '../board/paths.js';
import { MpyError } from '../errors.js';
import { FetchError, fetchBytes } from './fetch.js';
import { type PackageJson, parsePackageJson } from './package-json.js';
import {
  DEFAULT_HOSTS,
  type GitHosts,
  isRemote,
  type PackageSpec,
  packageJsonUrl,
  rewriteUrl,
  specKind,
  urlBasename,
} from './spec.js';

export { DEFAULT_INDEX } from './defaults.js';

export interface ResolveOptions {
  /** The index: a URL (`https://micropython.org/pi/v2`) or a local folder of the same layout. */
  index: string;
  /** The board folder packages go into (`/lib`). */
  target: string;
  /** The board's .mpy version (`6`), or `py` for source files. */
  mpyVersion: string;
  /** Local specs and a local index are relative to this folder; default the process's. */
  cwd?: string;
  hosts?: GitHosts;
  /** Aborts downloads (Ctrl-C). */
  signal?: AbortSignal;
}

/** One step of an install, in mpremote's order: a line to print, or a file to write. */
export type PlanStep =
  | { kind: 'note'; text: string }
  | { kind: 'file'; dest: string; data: Uint8Array; source: string };

/** Where a package.json came from: relative urls and deps resolve against `base`. */
interface Origin {
  local: boolean;
  /** The folder (local) or URL prefix (remote, may be `github:org/repo`) of the package.json. */
  base: string;
}

/** `base/rel` as mpremote joins a relative url to its package's URL, without a leading `./`. */
function joinRemote(base: string, rel: string): string {
  return `${base}/${rel.replace(/^(\.\/)+/, '')}`;
}

function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

/** Resolves specs for one `mip install` run; a dependency is resolved at most once per run. */
export class PackageResolver {
  private readonly index: string;
  private readonly cwd: string;
  private readonly hosts: GitHosts;
  /** Packages resolved in this run, and the version each was asked for ('' for latest). */
  private readonly seen = new Map<string, string>();

  constructor(private readonly options: ResolveOptions) {
    this.cwd = options.cwd ?? process.cwd();
    const index = options.index.replace(/\/+$/, '');
    this.index = isRemote(index) ? index : resolve(this.cwd, index);
    this.hosts = options.hosts ?? DEFAULT_HOSTS;
  }

  /**
   * Everything `spec` installs, its dependencies after its own files (mpremote's order), each
   * file downloaded and, when the package lists its hash, checked. Dependencies this resolver
   * already resolved are left out. Throws `MpyError` with mpremote's wording (`Package not
   * found: URL`, `File not found: URL`, `Error 500 requesting URL`, `REASON requesting URL`)
   * or for a bad package.json or a hash mismatch.
   */
  async resolve(spec: PackageSpec): Promise<PlanStep[]> {
    const steps: PlanStep[] = [];
    const origin: Origin = { local: true, base: this.cwd };
    const version = spec.version === 'latest' ? '' : spec.version;
    this.seen.set(this.keyOf(spec.name, origin), version ?? '');
    await this.resolvePackage(spec.name, spec.version, origin, steps);
    return steps;
  }

  /** Identity of a package for "at most once": its local path, URL or index name. */
  private keyOf(name: string, origin: Origin): string {
    const kind = specKind(name);
    if (kind === 'index' || isRemote(name)) return name;
    return origin.local ? resolve(origin.base, name) : joinRemote(origin.base, name);
  }

  private async resolvePackage(
    name: string,
    version: string | undefined,
    origin: Origin,
    steps: PlanStep[],
  ): Promise<void> {
    const { target } = this.options;
    let kind = specKind(name);
    // A path in a remote package's deps is relative to that package, never a file on this computer.
    if (!origin.local && (kind === 'local-file' || kind === 'local-json')) {
      name = joinRemote(origin.base, name);
      kind = isRemote(name) ? specKind(name) : kind;
    }
    if (kind === 'remote-file' || kind === 'local-file') {
      const local = kind === 'local-file';
      const location = local ? resolve(origin.base, name) : name;
      const verb = local ? 'Installing' : 'Downloading';
      steps.push({ kind: 'note', text: `${verb} ${local ? location : name} to ${target}` });
      const source = rewriteUrl(location, version, this.hosts);
      const data = await this.loadFile(source);
      steps.push({ kind: 'file', dest: this.dest(urlBasename(source)), data, source });
      return;
    }
    if (kind === 'remote-json') {
      const url = packageJsonUrl(name);
      steps.push({ kind: 'note', text: `Installing ${url} to ${target}` });
      const json = await this.loadJson(rewriteUrl(url, version, this.hosts));
      const base = url.slice(0, url.lastIndexOf('/'));
      await this.installJson(json, { local: false, base }, version, steps);
      return;
    }
    if (kind === 'local-json') {
      const given = resolve(origin.base, name);
      const isFolder = (await stat(given).catch(() => undefined))?.isDirectory() === true;
      const path = isFolder ? join(given, 'package.json') : given;
      // mpremote announces nothing more for a local package.json than its own `Install` line
      const json = await this.loadJson(path);
      await this.installJson(json, { local: true, base: dirname(path) }, version, steps);
      return;
    }
    await this.resolveFromIndex(name, version, steps);
  }

  private async resolveFromIndex(
    name: string,
    version: string | undefined,
    steps: PlanStep[],
  ): Promise<void> {
    const wanted = version ?? 'latest';
    const { mpyVersion, target } = this.options;
    steps.push({
      kind: 'note',
      text: `Installing ${name} (${wanted}) from ${this.index} to ${target}`,
    });
    const urlFor = (mpy: string) => `${this.index}/package/${mpy}/${name}/${wanted}.json`;
    let url = urlFor(mpyVersion);
    let data = await this.tryLoad(url);
    // The index holds .mpy builds only for the mpy versions it was built with; .py runs anywhere.
    if (data === undefined && mpyVersion !== 'py') {
      data = await this.tryLoad(urlFor('py'));
      if (data !== undefined) {
        url = urlFor('py');
        steps.push({
          kind: 'note',
          text: `No .mpy files of ${name} for mpy version ${mpyVersion}: installing .py files`,
        });
      }
    }
    if (data === undefined) throw new MpyError(`Package not found: ${urlFor(mpyVersion)}`);
    const json = parsePackageJson(data, url);
    const origin = { local: !isRemote(url), base: url.slice(0, url.lastIndexOf('/')) };
    await this.installJson(json, origin, version, steps);
  }

  private async installJson(
    json: PackageJson,
    origin: Origin,
    version: string | undefined,
    steps: PlanStep[],
  ): Promise<void> {
    for (const [path, hash] of json.hashes) {
      const source = `${this.index}/file/${hash.slice(0, 2)}/${hash}`;
      const data = await this.loadFile(source);
      const actual = sha256Hex(data);
      if (!actual.startsWith(hash.toLowerCase())) {
        throw new MpyError(
          `Hash mismatch for ${path}: ${source} has sha256 ${actual.slice(0, hash.length)}`,
        );
      }
      steps.push({ kind: 'file', dest: this.dest(path), data, source });
    }
    for (const [path, url] of json.urls) {
      let location: string;
      if (isRemote(url)) location = rewriteUrl(url, version, this.hosts);
      else if (origin.local) location = resolve(origin.base, url);
      else location = rewriteUrl(joinRemote(origin.base, url), version, this.hosts);
      const data = await this.loadFile(location);
      steps.push({ kind: 'file', dest: this.dest(path), data, source: location });
    }
    for (const [dep, depVersion] of json.deps) {
      const key = this.keyOf(dep, origin);
      const had = this.seen.get(key);
      const pinned = depVersion === 'latest' ? '' : depVersion;
      if (had !== undefined) {
        // one version of a package per run (they share their files): a pin to another one is
        // said, not silently dropped
        if (pinned && had !== pinned) {
          const first = had ? `${dep}@${had}` : `${dep} (latest)`;
          steps.push({
            kind: 'note',
            text: `Not installing ${dep}@${depVersion}: ${first} is installed in this run`,
          });
        }
        continue;
      }
      this.seen.set(key, pinned ?? '');
      await this.resolvePackage(dep, depVersion || undefined, origin, steps);
    }
  }

  private dest(path: string): string {
    return normalizeBoardPath(joinBoardPath(this.options.target, path));
  }

  private async loadJson(location: string): Promise<PackageJson> {
    const data = await this.tryLoad(location);
    if (data === undefined) throw new MpyError(`Package not found: ${location}`);
    return parsePackageJson(data, location);
  }

  private async loadFile(location: string): Promise<Uint8Array> {
    const data = await this.tryLoad(location);
    if (data === undefined) throw new MpyError(`File not found: ${location}`);
    return data;
  }

  /** The bytes at a URL or local path; undefined when it does not exist (404, ENOENT). */
  private async tryLoad(location: string): Promise<Uint8Array | undefined> {
    if (isRemote(location)) {
      try {
        return await fetchBytes(location, this.options.signal);
      } catch (error) {
        if (error instanceof FetchError && error.status === 404) return undefined;
        throw error;
      }
    }
    try {
      return await readFile(location);
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new MpyError(`Error opening ${location}: ${reason}`, { cause: error });
    }
  }
}
