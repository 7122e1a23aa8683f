// src/commands/devs.ts: `mpy devs`: list serial ports with USB ids, marking likely boards.
import { boardCandidates, describePort, listPorts } from '../transport/devices.js';
import type { CommandSpec } from './types.js';

export const devsCommand: CommandSpec = {
  name: 'devs',
  args: '',
  summary: 'list serial ports (path, VID:PID, serial number, description); * = looks like a board',
  needsBoard: false,
  async run(_args, _options, context) {
    const ports = await listPorts();
    const boards = new Set(boardCandidates(ports).map((port) => port.path));
    for (const port of ports) {
      context.out(`${boards.has(port.path) ? '*' : ' '} ${describePort(port)}\n`);
    }
    if (ports.length === 0)
      context.err('no serial ports found (try `-d sim` for a virtual board)\n');
  },
};
