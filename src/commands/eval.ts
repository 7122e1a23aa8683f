// src/commands/eval.ts: `mpy eval EXPR`: print the value of a Python expression on the board, as
// mpremote does (`print(EXPR)`: strings without quotes; `repr(x)` for the repr).
import { runOnBoard, timeoutOption } from './exec.js';
import type { CommandSpec } from './types.js';

export const evalCommand: CommandSpec = {
  name: 'eval',
  args: '<expression>',
  summary: 'print the value of a Python expression on the board',
  configure(command) {
    command.option('--timeout <seconds>', 'give up (and interrupt it) after this long');
  },
  async run([expression], options, context) {
    // the newline keeps a trailing comment in EXPR from eating the parenthesis
    await runOnBoard(`print(${expression}\n)`, context, timeoutOption(options.timeout));
  },
};
