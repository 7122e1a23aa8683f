// src/commands/watch.ts: `mpy watch DIR`: keep a board folder equal to a local folder, sending
// only what changed (src/sync does the work; this parses options and prints).
import { stat } from 'node:fs/promises';
import { joinBoardPath, normalizeBoardPath } from '../board/paths.js';
import { RawRepl } from '../repl/raw-repl.js';
import type { RunMode } from '../sync/run.js';
import type { BoardSession } from '../sync/session.js';
import { boardArg } from './board-path.js';
import { SessionContext, sessionOf, usage } from './context.js';
import { deleteRule } from './options.js';
import type { CommandContext, CommandRun, ManyCommandRun } from './types.js';
import { countWrites } from './wire-count.js';

/** `mpy watch DIR`: see the command's help; the work is in src/sync/watch-folder.ts. */
export const runWatch: CommandRun = async ([dir], options, context) => {
  await checkWatchArgs(dir!, options);
  const { target, run } = await watchTargets(context, options);
  const log = (line: string) => context.err(`watch: ${line}\n`);
  // Loaded when the command runs: other commands (an exec's start-up) do not pay for it.
  const { watchFolder } = await import('../sync/watch-folder.js');
  const watch = await watchFolder({
    folder: dir!,
    target,
    delete: deleteRule(options),
    ignore: (options.ignore as string[] | undefined) ?? [],
    mpy: options.mpy === true,
    connect: () => connectSession(context),
    run,
    output: (data) => context.out(data),
    log,
    signal: context.signal,
  });
  context.err(`watching ${dir} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await watch.close();
};

/** `mpy watch DIR` on several boards: one folder watcher, a Syncer per board, boards plugged in
 * later synced as they answer (src/sync/watch-boards.ts does the work). */
export const runWatchOnBoards: ManyCommandRun = async ([dir], options, boards) => {
  await checkWatchArgs(dir!, options);
  const { BoardsWatch } = await import('../sync/watch-boards.js');
  const watch = new BoardsWatch({
    folder: dir!,
    delete: deleteRule(options),
    ignore: (options.ignore as string[] | undefined) ?? [],
    mpy: options.mpy === true,
    devices: () => boards.devices(),
    open: (device) => {
      const board = boards.open(device);
      const { context } = board;
      return {
        prepare: () => watchTargets(context, options),
        connect: () => connectSession(context),
        log: (line) => context.err(`watch: ${line}\n`),
        output: (data) => context.out(data),
        close: (end) => board.finish(end),
      };
    },
    log: (line) => boards.err(`watch: ${line}\n`),
    signal: boards.signal,
  });
  await watch.start();
  boards.err(`watching ${dir} on ${describeCount(watch.devices.length)} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    if (boards.signal.aborted) resolve();
    boards.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await watch.close();
};

function describeCount(boards: number): string {
  return boards === 0
    ? 'no board yet (plug some in)'
    : `${boards} ${boards === 1 ? 'board' : 'boards'} and those plugged in later`;
}

async function checkWatchArgs(dir: string, options: Record<string, unknown>): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw usage('watch', `${dir} is not a folder`);
  if (options.reset && options.run) throw usage('watch', '--reset and --run exclude each other');
}

/** Where DIR goes on this board and what runs after each sync: relative board paths start at
 * the board's current folder, as everywhere; `--run main.py` names a file of the synced folder,
 * `:x.py` or `/x.py` any board file. */
async function watchTargets(
  context: CommandContext,
  options: Record<string, unknown>,
): Promise<{ target: string; run?: RunMode }> {
  const target = (await boardArg(context, String(options.to ?? ':/'))).path;
  const runFile = async (file: string) =>
    file.startsWith(':') || file.startsWith('/')
      ? (await boardArg(context, file)).path
      : normalizeBoardPath(joinBoardPath(target, file));
  if (options.reset) return { target, run: { kind: 'reset' } };
  if (typeof options.run === 'string') {
    return { target, run: { kind: 'run', path: await runFile(options.run) } };
  }
  return { target };
}

/** The context's connection as a sync session; closing it lets the next call reconnect. */
export async function connectSession(context: CommandContext): Promise<BoardSession> {
  const repl = await sessionOf(context);
  const board = await context.board();
  const counter = repl instanceof RawRepl ? countWrites(repl.transport) : undefined;
  return {
    board,
    repl,
    ...(counter ? { bytesSent: () => counter.count } : {}),
    ...(repl instanceof RawRepl
      ? {
          onLost: (listener: (error: Error) => void) => {
            repl.transport.onClose((error) => error && listener(error));
          },
          onRestart: (listener: () => void) => {
            repl.onBoardRestart(listener);
          },
          rebootClosesLink: repl.transport.onReconnect !== undefined,
        }
      : {}),
    close: async () => {
      if (context instanceof SessionContext) await context.close();
    },
  };
}
