// src/commands/dev.ts: `mpy dev [DIR]`: the edit-run loop in one terminal: DIR kept in sync,
// the program run after each sync, the board's output and prompt here (src/dev does the work).
import { stat } from 'node:fs/promises';
import { joinBoardPath, normalizeBoardPath } from '../board/paths.js';
import type { DevProgram } from '../dev/loop.js';
import { boardArg } from './board-path.js';
import { usage } from './context.js';
import { deleteRule } from './options.js';
import type { CommandRun } from './types.js';
import { connectSession } from './watch.js';

/** `mpy dev [DIR]`: see the command's help; the work is in src/dev/loop.ts. */
export const runDev: CommandRun = async ([dirArg], options, context) => {
  const dir = dirArg ?? '.';
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw usage('dev', `${dir} is not a folder`);
  const target = (await boardArg(context, String(options.to ?? ':/'))).path;
  // `--run main.py` names a file of the synced folder; `:x.py` or `/x.py` any board file.
  const runFile = async (file: string) =>
    file.startsWith(':') || file.startsWith('/')
      ? (await boardArg(context, file)).path
      : normalizeBoardPath(joinBoardPath(target, file));
  const program: DevProgram =
    typeof options.run === 'string'
      ? { kind: 'run', path: await runFile(options.run) }
      : { kind: 'main' };
  const stdin = process.stdin;
  const raw = stdin.isTTY === true;
  context.err(`mpy dev: ${dir} -> :${target}; Ctrl-] or Ctrl-X to leave\n`);
  if (program.kind === 'main' && target !== '/') {
    context.err(
      `mpy dev: a soft reset runs /main.py, not :${target}/main.py (--run main.py runs DIR's)\n`,
    );
  }
  // Loaded when the command runs: other commands (an exec's start-up) do not pay for it.
  const { startDev } = await import('../dev/loop.js');
  const loop = await startDev({
    folder: dir,
    target,
    delete: deleteRule(options),
    ignore: (options.ignore as string[] | undefined) ?? [],
    mpy: options.mpy === true,
    program,
    connect: () => connectSession(context),
    write: (data) => context.out(data),
    signal: context.signal,
  });
  if (raw) stdin.setRawMode(true);
  const onKeys = (chunk: Buffer) => loop.keys(chunk);
  try {
    stdin.on('data', onKeys);
    stdin.resume();
    await Promise.race([
      loop.left,
      new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        context.signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    ]);
  } finally {
    stdin.off('data', onKeys);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    await loop.close();
    context.forgetBoardFolder();
    context.err('\n');
  }
};
