// src/commands/connect.ts: `mpy connect DEVICE` and `mpy disconnect`, mpremote's way to pick the
// board in the middle of a chain: `auto`, `list`, `id:SERIAL`, `port:PATH` or any `-d` device.
import { MpyError, TransportError } from '../errors.js';
import { listPorts } from '../transport/devices.js';
import { SessionContext } from './context.js';
import { runDevs } from './devs.js';
import type { CommandContext, CommandRun } from './types.js';

/** The `-d` device an mpremote device name stands for. */
export async function deviceFor(name: string): Promise<string> {
  if (name.startsWith('port:')) return name.slice('port:'.length);
  if (!name.startsWith('id:')) return name;
  const serial = name.slice('id:'.length);
  const port = (await listPorts()).find((p) => p.serialNumber === serial);
  if (!port) throw new TransportError(`no device with serial number ${serial}`);
  return port.path;
}

function sessionContext(context: CommandContext, command: string): SessionContext {
  if (context instanceof SessionContext) return context;
  throw new MpyError(`${command}: needs the command line's own session`);
}

/** `mpy connect`; its arguments and options are in src/commands/index.ts. */
export const runConnect: CommandRun = async ([name], options, context) => {
  if (name === 'list') {
    await runDevs([], options, context);
    return;
  }
  await sessionContext(context, 'connect').connectTo(await deviceFor(name!));
};

/** `mpy disconnect`; its arguments and options are in src/commands/index.ts. */
export const runDisconnect: CommandRun = async (_args, _options, context) => {
  await sessionContext(context, 'disconnect').close();
};
