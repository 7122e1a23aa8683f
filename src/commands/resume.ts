// src/commands/resume.ts: `mpy resume`: mpremote's "keep the board's state". mpy never
// soft-resets unless asked, so this only cancels `--soft-reset` for the connection about to be
// made (as mpremote's `resume` cancels its automatic soft reset).
import { SessionContext } from './context.js';
import type { CommandRun } from './types.js';

/** `mpy resume`; its arguments and options are in src/commands/index.ts. */
export const runResume: CommandRun = async (_args, _options, context) => {
  if (context instanceof SessionContext) context.keepState();
};
