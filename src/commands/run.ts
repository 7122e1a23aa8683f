// src/commands/run.ts: `mpy run FILE`: run a local Python file on the board without copying it,
// streaming its output (or leave it running with --no-follow).
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { launchOnBoard, runOnBoard, timeoutOption } from './exec.js';
import type { CommandRun } from './types.js';

/** `mpy run`; its arguments and options are in src/commands/index.ts. */
export const runRun: CommandRun = async ([file], options, context) => {
  const code = await readFile(file!, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`run: could not read file '${file}' (${error.code ?? error.message})`);
  });
  if (options.follow === false) await launchOnBoard(code, context);
  else await runOnBoard(code, context, timeoutOption(options.timeout));
};
