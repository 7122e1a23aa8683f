// src/commands/rtc.ts: `mpy rtc [--set]`: print the board's real-time clock as
// `(year, month, day, weekday, hours, minutes, seconds, subseconds)`, or set it to this
// computer's local time (mpremote's `rtc`).
import { pyCall } from '../board/py-literal.js';
import { runOnBoard } from './exec.js';
import { commandPython } from './py-code.js';
import type { CommandRun } from './types.js';

/** `machine.RTC().datetime()`'s tuple for a local time; the weekday counts from Monday = 0. */
export function rtcTuple(now: Date): number[] {
  return [
    now.getFullYear(),
    now.getMonth() + 1,
    now.getDate(),
    (now.getDay() + 6) % 7,
    now.getHours(),
    now.getMinutes(),
    now.getSeconds(),
    now.getMilliseconds() * 1000,
  ];
}

/** `mpy rtc`; its arguments and options are in src/commands/index.ts. */
export const runRtc: CommandRun = async (_args, options, context) => {
  const time = options.set === true ? rtcTuple(new Date()) : null;
  await runOnBoard(`${commandPython('rtc.py')}${pyCall('_mpy_rtc', time)}\n`, context, 0);
};
