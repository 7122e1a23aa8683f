// src/commands/mount-local.ts: mpremote's `mount DIR` (here `mount-local DIR`, or `mount DIR`
// followed by more commands, as mpremote's is used): the computer's folder DIR appears on the
// board at /remote, which becomes the board's current folder, for the commands that follow in
// the chain (exec, run, eval, repl); `umount` or the end of the chain takes it away.
import { stat } from 'node:fs/promises';
import { pyStr } from '../board/py-literal.js';
import { MpyError, UsageError } from '../errors.js';
import { sessionOf } from './context.js';
import { commandPython } from './py-code.js';
import { REMOTE_MOUNT_POINT, RemoteFolder, servedFolders } from './remote-folder.js';
import type { CommandContext, CommandRun } from './types.js';

const UNMOUNT =
  'import os\n' +
  `try:\n os.umount(${pyStr(REMOTE_MOUNT_POINT)})\nexcept OSError:\n pass\n` +
  `if os.getcwd().startswith(${pyStr(REMOTE_MOUNT_POINT)}):\n os.chdir('/')\n`;

async function unmount(context: CommandContext): Promise<void> {
  const folder = servedFolders.get(context);
  if (!folder) return;
  servedFolders.delete(context);
  const session = await sessionOf(context);
  try {
    await session.exec(UNMOUNT, { timeoutMs: 5000 });
  } catch (error) {
    context.err(`mpy: could not take ${REMOTE_MOUNT_POINT} away: ${String(error)}\n`);
  } finally {
    session.serve(undefined);
    folder.close();
    context.forgetBoardFolder();
  }
}

/** `mpy mount-local`; its arguments and options are in src/commands/index.ts. */
export const runMountLocal: CommandRun = async ([folder], options, context) => {
  const info = await stat(folder!).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`mount: ${folder}: not a folder`);
  const session = await sessionOf(context);
  const caps = await session.capabilities();
  if (!caps.stdinBuffer) {
    throw new MpyError(
      "mount: this board's firmware has no sys.stdin.buffer, which a mounted folder needs",
    );
  }
  await unmount(context);
  const served = new RemoteFolder(folder!, { unsafeLinks: options.unsafeLinks === true });
  // served from the start: the chdir into the folder is already a request
  servedFolders.set(context, served);
  session.serve(served);
  await session.exec(
    `${commandPython('rfs.py')}\n${UNMOUNT}` +
      `os.mount(_mpyV(), ${pyStr(REMOTE_MOUNT_POINT)})\nos.chdir(${pyStr(REMOTE_MOUNT_POINT)})\n`,
  );
  context.forgetBoardFolder();
  const line = `Local directory ${folder} is mounted at ${REMOTE_MOUNT_POINT}\n`;
  // mpremote prints this at once on a terminal; into a pipe its print is buffered and comes
  // out at the end, after the output of what ran: the same here, for scripts that compare
  if (context.isTTY || !context.atClose) context.out(line);
  else context.atClose(() => context.out(line));
  context.atClose?.(() => unmount(context));
};

/** `mpy umount`; its arguments and options are in src/commands/index.ts. */
export const runUmount: CommandRun = async (_args, _options, context) => {
  await unmount(context);
};
