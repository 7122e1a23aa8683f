// src/commands/mip.ts: `mpy mip install [--target PATH] [--index URL] [--no-mpy] PACKAGE...`:
// install micropython-lib packages, github:/gitlab: repos, URLs or local package.json folders
// as mpremote does; packages are resolved on the computer (src/mip/) and written with writeFile.
import { UsageError } from '../errors.js';
import type { InstallIo } from '../mip/install.js';
import { boardArg, onBoardPath, showBoard } from './board-path.js';
import { startProgress } from './progress.js';
import type { CommandRun } from './types.js';

/** `mpy mip`; its arguments and options are in src/commands/index.ts. */
export const runMip: CommandRun = async ([subcommand, ...packages], options, context) => {
  if (subcommand !== 'install') {
    throw new UsageError(`mip: '${subcommand}' is not a command (mpy mip install PACKAGE...)`);
  }
  const repl = await context.repl();
  const board = await context.board();
  // loaded here, not with the CLI: other commands start faster without them
  const [{ defaultTarget, readBoardInfo }, { writePlan }, { PackageResolver }, { parseSpec }] =
    await Promise.all([
      import('../mip/board-info.js'),
      import('../mip/install.js'),
      import('../mip/resolve.js'),
      import('../mip/spec.js'),
    ]);
  const info = await readBoardInfo(repl);
  const target =
    typeof options.target === 'string'
      ? (await boardArg(context, options.target)).path
      : defaultTarget(info.sysPath, await board.hasDirectories());
  const mpyVersion = options.mpy !== false && info.mpyVersion ? String(info.mpyVersion) : 'py';
  const resolver = new PackageResolver({
    index: String(options.index),
    target,
    mpyVersion,
    signal: context.signal,
  });
  const made = new Set<string>();
  const line = (text: string) => context.out(`${text}\n`);
  const io: InstallIo = {
    line,
    progress: (dest) => startProgress(context, showBoard(dest)),
    onBoard: (path, action) => onBoardPath('mip', path, action),
  };
  for (const arg of packages) {
    const spec = parseSpec(arg);
    line(`Install ${spec.name}`);
    // Nothing is written until the package and its dependencies are all downloaded.
    const steps = await resolver.resolve(spec);
    try {
      await writePlan(board, steps, io, made);
    } catch (error) {
      line('Package may be partially installed');
      throw error;
    }
    line('Done');
  }
};
