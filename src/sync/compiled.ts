// src/sync/compiled.ts: `--mpy` for the syncer: the local tree as the board should hold it, each
// compilable `x.py` replaced by its `x.mpy`, compiled once per content.
import { compileToMpy } from '../compile/mpy-cross.js';
import { compiledName } from '../compile/names.js';
import type { FileState } from './plan.js';
import type { LocalTree } from './scan.js';

/** How the compiler names a file (relative path in the folder) for the board and for errors. */
export interface CompiledNames {
  /** Embedded in the .mpy: what the board's tracebacks show (the board path of the source). */
  source(path: string): string;
  /** The local path shown in a `file:line: message` error. */
  shown(path: string): string;
}

interface Compiled {
  /** Digest and embedded name of the source this was compiled from. */
  from: string;
  data: Uint8Array;
  state: FileState;
}

/** Maps snapshots of one folder; keeps the last compile of each file. */
export class TreeCompiler {
  private cache = new Map<string, Compiled>();
  private cachedDigest: ((data: Uint8Array) => string) | undefined;
  /** Every `.mpy` name this compiler made, the sources of which may be gone by now. */
  private readonly made = new Set<string>();

  constructor(private readonly names: CompiledNames) {}

  /**
   * `local` with each compilable `.py` (not `boot.py`/`main.py`) as `.mpy`; a compiled file wins
   * over a `.mpy` of the same name in the folder. Throws the first `CompileError`; then nothing
   * of this snapshot is to be sent.
   */
  async compile(local: LocalTree, digest: (data: Uint8Array) => string): Promise<LocalTree> {
    if (digest !== this.cachedDigest) {
      this.cache.clear();
      this.cachedDigest = digest;
    }
    const tree: LocalTree = { files: new Map(), dirs: new Set(local.dirs), contents: new Map() };
    const sources: string[] = [];
    for (const [path, state] of local.files) {
      if (compiledName(path)) {
        sources.push(path);
        continue;
      }
      tree.files.set(path, state);
      tree.contents.set(path, local.contents.get(path)!);
    }
    for (const path of sources) {
      const compiled = await this.compileOne(path, local);
      const target = compiledName(path)!;
      tree.files.set(target, compiled.state);
      tree.contents.set(target, compiled.data);
      this.made.add(target);
    }
    for (const path of [...this.cache.keys()]) if (!local.files.has(path)) this.cache.delete(path);
    return tree;
  }

  /** True for an `.mpy` this compiler made (its board copy is ours even when `*.mpy` is
   * ignored, so it goes with its source). */
  madeFile(path: string): boolean {
    return this.made.has(path);
  }

  private async compileOne(path: string, local: LocalTree): Promise<Compiled> {
    const sourceName = this.names.source(path);
    const from = `${local.files.get(path)!.digest}:${sourceName}`;
    const cached = this.cache.get(path);
    if (cached?.from === from) return cached;
    const data = await compileToMpy(local.contents.get(path)!, {
      sourceName,
      shownName: this.names.shown(path),
    });
    const compiled = { from, data, state: { size: data.length, digest: this.cachedDigest!(data) } };
    this.cache.set(path, compiled);
    return compiled;
  }
}
