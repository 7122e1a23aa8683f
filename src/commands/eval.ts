// src/commands/eval.ts: `mpy eval EXPR`: evaluate a Python expression on the board, print its repr.
import { sessionOf } from './context.js';
import type { CommandSpec } from './types.js';

export const evalCommand: CommandSpec = {
  name: 'eval',
  args: '<expression>',
  summary: 'evaluate a Python expression on the board and print its repr',
  async run([expression], _options, context) {
    const session = await sessionOf(context);
    context.out(`${await session.reprOf(expression!)}\n`);
  },
};
