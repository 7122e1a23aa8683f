// src/commands/mount.ts: `mpy mount MOUNTPOINT [--ro]`: show the board's filesystem as a local
// folder (FUSE) in the foreground until Ctrl-C or `fusermount -u`. (A `mount` with commands
// after it is mpremote's, a computer folder on the board: src/commands/mount-local.ts.)
import { TransportError } from '../errors.js';
import type { CommandRun } from './types.js';
import { connectSession } from './watch.js';

/** `mpy mount`; its arguments and options are in src/commands/index.ts. */
export const runMount: CommandRun = async ([mountpoint], options, context) => {
  // Missing FUSE or a bad mountpoint is reported before the board is touched.
  // Loaded when the command runs: other commands (an exec's start-up) do not pay for it.
  const { checkMountpoint, loadFuse, mountBoard } = await import('../fuse/mount.js');
  await loadFuse();
  await checkMountpoint(mountpoint!);
  // After a lost link the mount reopens the same device, as watch does.
  const session = await connectSession(context);
  const mounted = await mountBoard(session.board, mountpoint!, {
    readOnly: options.ro === true,
    log: (line) => context.err(`mount: ${line}\n`),
    reconnect: { session, connect: () => connectSession(context) },
  });
  const stop = () => void mounted.unmount();
  context.signal.addEventListener('abort', stop, { once: true });
  // The CLI turns Ctrl-C into the abort signal; listening here too keeps a Ctrl-C from killing
  // the process with the mount still attached, and a service manager sends SIGTERM instead.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (context.signal.aborted) stop();
  context.err(
    `mounted the board on ${mounted.mountpoint}${options.ro ? ' (read-only)' : ''}; ` +
      `Ctrl-C or \`fusermount -u ${mounted.mountpoint}\` to unmount\n`,
  );
  try {
    const cause = await mounted.unmounted;
    const failure = mounted.failure;
    if (cause === 'lost') {
      const why = `${failure?.message}; unmounted ${mounted.mountpoint}`;
      throw new TransportError(`mount: ${why}`, { cause: failure });
    }
    context.err(
      `unmounted ${mounted.mountpoint}${cause === 'external' ? ' (from outside)' : ''}\n`,
    );
  } finally {
    context.signal.removeEventListener('abort', stop);
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
};
