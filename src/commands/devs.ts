// src/commands/devs.ts: `mpy devs`: list serial ports with USB ids, marking likely boards.
import { boardCandidates, describePort, listPorts } from '../transport/devices.js';
import type { CommandRun } from './types.js';

/** `mpy devs`; its arguments and options are in src/commands/index.ts. */
export const runDevs: CommandRun = async (_args, _options, context) => {
  const ports = await listPorts();
  const boards = new Set(boardCandidates(ports).map((port) => port.path));
  for (const port of ports) {
    context.out(`${boards.has(port.path) ? '*' : ' '} ${describePort(port)}\n`);
  }
  if (ports.length === 0) context.err('no serial ports found (try `-d sim` for a virtual board)\n');
};
