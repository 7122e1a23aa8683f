// src/commands/sleep.ts: `mpy sleep SECONDS`: wait between chained commands (mpremote's `sleep`),
// cut short by Ctrl-C.
import { UsageError } from '../errors.js';
import type { CommandSpec } from './types.js';

export const sleepCommand: CommandSpec = {
  name: 'sleep',
  args: '<seconds>',
  summary: 'wait SECONDS (a decimal number) before the next command',
  needsBoard: false,
  isAction: false,
  async run([value], _options, context) {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new UsageError(`sleep: not a number of seconds: ${value}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      context.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  },
};
