// src/commands/watch.ts: `mpy watch DIR`: keep a board folder equal to a local folder, sending
// only what changed (src/sync does the work; this parses options and prints).
import { stat } from 'node:fs/promises';
import { joinBoardPath, normalizeBoardPath } from '../board/paths.js';
import { RawRepl } from '../repl/raw-repl.js';
import type { RunMode } from '../sync/run.js';
import type { BoardSession } from '../sync/session.js';
import type { Transport } from '../transport/transport.js';
import { boardArg } from './board-path.js';
import { SessionContext, sessionOf, usage } from './context.js';
import type { CommandContext, CommandRun } from './types.js';

/** `mpy watch DIR`: see the command's help; the work is in src/sync/watch-folder.ts. */
export const runWatch: CommandRun = async ([dir], options, context) => {
  const info = await stat(dir!).catch(() => undefined);
  if (!info?.isDirectory()) throw usage('watch', `${dir} is not a folder`);
  if (options.reset && options.run) throw usage('watch', '--reset and --run exclude each other');
  // relative board paths start at the board's current folder, as everywhere
  const target = (await boardArg(context, String(options.to ?? ':/'))).path;
  // `--run main.py` names a file of the synced folder; `:x.py` or `/x.py` any board file.
  const runFile = async (file: string) =>
    file.startsWith(':') || file.startsWith('/')
      ? (await boardArg(context, file)).path
      : normalizeBoardPath(joinBoardPath(target, file));
  const run: RunMode | undefined = options.reset
    ? { kind: 'reset' }
    : typeof options.run === 'string'
      ? { kind: 'run', path: await runFile(options.run) }
      : undefined;
  const log = (line: string) => context.err(`watch: ${line}\n`);
  // Loaded when the command runs: other commands (an exec's start-up) do not pay for it.
  const { watchFolder } = await import('../sync/watch-folder.js');
  const watch = await watchFolder({
    folder: dir!,
    target,
    delete: options.delete !== false,
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

/** Bytes written per transport, for the `… B on the wire` of each sync line. */
const sentBytes = new WeakMap<Transport, { count: number }>();

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

/** Count the bytes written to `transport` from now on (wraps its `write` once). */
function countWrites(transport: Transport): { count: number } {
  let counter = sentBytes.get(transport);
  if (counter) return counter;
  const created = { count: 0 };
  const write = transport.write.bind(transport);
  transport.write = (data: Uint8Array) => {
    created.count += data.length;
    return write(data);
  };
  sentBytes.set(transport, created);
  counter = created;
  return counter;
}
