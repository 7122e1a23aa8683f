// src/commands/eval.ts: `mpy eval EXPR`: print the value of a Python expression on the board, as
// mpremote does (`print(EXPR)`: strings without quotes; `repr(x)` for the repr).
import { runOnBoard, timeoutOption } from './exec.js';
import type { CommandRun } from './types.js';

/** `mpy eval`; its arguments and options are in src/commands/index.ts. */
export const runEval: CommandRun = async ([expression], options, context) => {
  // the newline keeps a trailing comment in EXPR from eating the parenthesis
  await runOnBoard(`print(${expression}\n)`, context, timeoutOption(options.timeout));
};
