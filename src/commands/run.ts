// src/commands/run.ts: `mpy run FILE`: run a local Python file on the board without copying it,
// streaming its output (or leave it running with --no-follow).
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { addFollowOptions, launchOnBoard, runOnBoard, timeoutOption } from './exec.js';
import type { CommandSpec } from './types.js';

export const runCommand: CommandSpec = {
  name: 'run',
  args: '<file>',
  summary: 'run a local Python file on the board (not copied) and print its output',
  configure(command) {
    addFollowOptions(command, 'the program');
    command.option('--timeout <seconds>', 'give up (and interrupt the program) after this long');
  },
  async run([file], options, context) {
    const code = await readFile(file!, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`run: could not read file '${file}' (${error.code ?? error.message})`);
    });
    if (options.follow === false) await launchOnBoard(code, context);
    else await runOnBoard(code, context, timeoutOption(options.timeout));
  },
};
