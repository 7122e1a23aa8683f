// src/commands/repl.ts: `mpy repl`: the board's interactive prompt in this terminal; Ctrl-] or
// Ctrl-X leaves (the board keeps running, in its friendly REPL).
import { sessionOf } from './context.js';
import type { CommandRun } from './types.js';

/** Keys that leave the terminal: Ctrl-] (as telnet/miniterm) and Ctrl-X (as mpremote). */
const EXIT_KEYS = new Set([0x1d, 0x18]);
/** After piped input ends, leave once the board has been silent this long (it is answering the
 * last lines), or after LINGER_MAX_MS. */
const QUIET_MS = 300;
const LINGER_MAX_MS = 5000;

/** Resolve once `lastOutput()` is QUIET_MS in the past (or LINGER_MAX_MS have passed). */
function whenQuiet(lastOutput: () => number): Promise<void> {
  const started = Date.now();
  return new Promise((resolve) => {
    const check = () => {
      const now = Date.now();
      if (now - lastOutput() >= QUIET_MS || now - started >= LINGER_MAX_MS) resolve();
      else setTimeout(check, QUIET_MS - (now - lastOutput()));
    };
    check();
  });
}

/** `mpy repl`; its arguments and options are in src/commands/index.ts. */
export const runRepl: CommandRun = async (_args, _options, context) => {
  const session = await sessionOf(context);
  const terminal = await session.terminal();
  const stdin = process.stdin;
  const raw = stdin.isTTY === true;
  context.err(`Connected to ${session.description}; Ctrl-] or Ctrl-X to leave\n`);
  if (raw) stdin.setRawMode(true);
  let onKeys: (chunk: Buffer) => void = () => {};
  let onEnd: () => void = () => {};
  try {
    let lastOutput = Date.now();
    terminal.onData((data) => {
      lastOutput = Date.now();
      context.out(data);
    });
    await new Promise<void>((resolve, reject) => {
      onKeys = (chunk) => {
        const exit = chunk.findIndex((byte) => EXIT_KEYS.has(byte));
        const keys = exit < 0 ? chunk : chunk.subarray(0, exit);
        const sent = keys.length > 0 ? terminal.write(keys) : Promise.resolve();
        sent.then(() => exit >= 0 && resolve(), reject);
      };
      onEnd = () => void whenQuiet(() => lastOutput).then(resolve);
      stdin.on('data', onKeys);
      stdin.once('end', onEnd);
      terminal.lost.then(reject);
      context.signal.addEventListener('abort', () => resolve(), { once: true });
      stdin.resume();
    });
  } finally {
    stdin.off('data', onKeys);
    stdin.off('end', onEnd);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    await terminal.close();
    // what was typed may have changed the board's current folder
    context.forgetBoardFolder();
    context.err('\n');
  }
};
