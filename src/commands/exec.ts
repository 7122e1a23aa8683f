// src/commands/exec.ts: `mpy exec CODE`: run Python on the board, streaming its output; Ctrl-C
// interrupts the code on the board.
import { BoardError } from '../errors.js';
import { markReported, sessionOf } from './context.js';
import type { CommandContext, CommandRun } from './types.js';

/** Run `code`, stream stdout to the user, interrupt on Ctrl-C; `timeout` in seconds (0: none). */
export async function runOnBoard(
  code: string,
  context: CommandContext,
  timeoutSeconds: number,
): Promise<void> {
  const session = await sessionOf(context);
  const interrupt = () => void session.interrupt().catch(() => {});
  context.signal.addEventListener('abort', interrupt, { once: true });
  try {
    await session.exec(code, {
      onOutput: (data) => context.out(data),
      timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : Number.POSITIVE_INFINITY,
    });
  } catch (error) {
    // The user's own traceback, as the board printed it, says more than one line.
    if (error instanceof BoardError && error.traceback) {
      context.err(error.traceback.replace(/\r\n/g, '\n'));
      markReported(error);
    }
    throw error;
  } finally {
    context.signal.removeEventListener('abort', interrupt);
    // the code may have changed the board's current folder
    context.forgetBoardFolder();
  }
}

/** Start `code` and return at once, leaving it running (`--no-follow`). */
export async function launchOnBoard(code: string, context: CommandContext): Promise<void> {
  await (await sessionOf(context)).launch(code);
  context.forgetBoardFolder();
}

/** Parse `--timeout SECONDS`. */
export function timeoutOption(value: unknown): number {
  const seconds = Number(value ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/** `mpy exec`; its arguments and options are in src/commands/index.ts. */
export const runExec: CommandRun = async ([code], options, context) => {
  if (options.follow === false) await launchOnBoard(code!, context);
  else await runOnBoard(code!, context, timeoutOption(options.timeout));
};
