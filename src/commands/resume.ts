// src/commands/resume.ts: `mpy resume`: mpremote's "keep the board's state". mpy never
// soft-resets unless asked, so this only cancels `--soft-reset` for the connection about to be
// made (as mpremote's `resume` cancels its automatic soft reset).
import { SessionContext } from './context.js';
import type { CommandSpec } from './types.js';

export const resumeCommand: CommandSpec = {
  name: 'resume',
  args: '',
  summary: 'keep the board state: skip the soft reset of --soft-reset (mpy never resets unasked)',
  needsBoard: false,
  isAction: false,
  async run(_args, _options, context) {
    if (context instanceof SessionContext) context.keepState();
  },
};
