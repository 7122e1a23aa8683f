// src/commands/run.ts: `mpy run FILE`: run a local Python file on the board without copying it,
// streaming its output (or leave it running with --no-follow).
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { sessionOf } from './context.js';
import { runOnBoard, timeoutOption } from './exec.js';
import type { CommandSpec } from './types.js';

export const runCommand: CommandSpec = {
  name: 'run',
  args: '<file>',
  summary: 'run a local Python file on the board (not copied) and print its output',
  configure(command) {
    command
      .option('--no-follow', 'start the program and return at once; it keeps running')
      .option('--timeout <seconds>', 'give up (and interrupt the program) after this long');
  },
  async run([file], options, context) {
    const code = await readFile(file!, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`run: cannot read ${file}: ${error.code ?? error.message}`);
    });
    if (options.follow === false) {
      await (await sessionOf(context)).launch(code);
      return;
    }
    await runOnBoard(code, context, timeoutOption(options.timeout));
  },
};
