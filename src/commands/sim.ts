// src/commands/sim.ts: `mpy sim`: run a virtual board in the foreground and serve it on a pty or
// a TCP port, so other tools (mpremote, a terminal, another mpy) can connect to it.
import { UsageError } from '../errors.js';
import { loadSim } from '../transport/sim.js';
import type { CommandSpec } from './types.js';

export const simCommand: CommandSpec = {
  name: 'sim',
  args: '',
  summary: 'run a virtual board and serve it on a pty (default) or TCP port until Ctrl-C',
  needsBoard: false,
  configure(command) {
    command
      .option('--pty', 'serve on a pseudo-terminal (the default)')
      .option('--tcp <port>', 'serve on 127.0.0.1:PORT (0: any free port)')
      .option('--profile <name>', 'modern (default) or legacy (no raw paste, flat filesystem)')
      .option('--flash <dir>', 'keep the flash in this folder (default: in memory)');
  },
  async run(_args, options, context) {
    const profile = (options.profile as string | undefined) ?? 'modern';
    if (profile !== 'modern' && profile !== 'legacy') {
      throw new UsageError(`sim: unknown profile ${profile} (modern or legacy)`);
    }
    const tcp = options.tcp === undefined ? undefined : Number(options.tcp);
    if (tcp !== undefined && !(Number.isInteger(tcp) && tcp >= 0 && tcp < 65536)) {
      throw new UsageError(`sim: bad TCP port ${String(options.tcp)}`);
    }
    const sim = await loadSim();
    const board = await sim.VirtualBoard.start({
      profile,
      ...(options.flash ? { flashDir: String(options.flash) } : {}),
      ...(options.baud ? { baud: Number(options.baud) } : {}),
    });
    const servers: Array<{ close(): Promise<void> }> = [];
    try {
      if (tcp !== undefined) {
        const server = await sim.serveTcp(board, tcp);
        servers.push(server);
        context.out(`socket://127.0.0.1:${server.port}\n`);
      }
      if (tcp === undefined || options.pty === true) {
        const server = await sim.servePty(board);
        servers.push(server);
        context.out(`${server.path}\n`);
      }
      context.err(`virtual board (${profile}) running; Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      for (const server of servers) await server.close();
      await board.stop();
    }
  },
};
