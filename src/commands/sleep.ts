// src/commands/sleep.ts: `mpy sleep SECONDS`: wait between chained commands (mpremote's `sleep`),
// cut short by Ctrl-C.
import { UsageError } from '../errors.js';
import type { CommandRun } from './types.js';

/** `mpy sleep`; its arguments and options are in src/commands/index.ts. */
export const runSleep: CommandRun = async ([value], _options, context) => {
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
};
