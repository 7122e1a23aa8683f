// src/commands/sim.ts: `mpy sim`: run a virtual board in the foreground and serve it on a pty or
// a TCP port or as a WebREPL board, so other tools (mpremote, a terminal, another mpy) can
// connect to it.
import { UsageError } from '../errors.js';
import { loadSim } from '../transport/sim.js';
import type { CommandRun } from './types.js';

/** Bytes a WebREPL board's socket holds unread (lwIP's receive window is of this order). */
const WEBREPL_BUFFER = 64 * 1024;

/** `--webrepl PORT --password PW [--latency MS]`, checked; undefined without `--webrepl`. */
function webreplOptions(
  options: Record<string, unknown>,
): { port: number; password: string; latencyMs: number } | undefined {
  if (options.webrepl === undefined) return undefined;
  const port = Number(options.webrepl);
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new UsageError(`sim: bad WebREPL port ${String(options.webrepl)}`);
  }
  const password = (options.password as string | undefined) ?? process.env.MPY_WEBREPL_PASSWORD;
  if (!password) throw new UsageError('sim: --webrepl needs --password PW');
  if (Buffer.byteLength(password) > 9) {
    throw new UsageError('sim: a WebREPL password is at most 9 bytes');
  }
  const latencyMs = options.latency === undefined ? 0 : Number(options.latency);
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) {
    throw new UsageError(`sim: bad latency ${String(options.latency)}`);
  }
  return { port, password, latencyMs };
}

/** `mpy sim`; its arguments and options are in src/commands/index.ts. */
export const runSim: CommandRun = async (_args, options, context) => {
  const profile = (options.profile as string | undefined) ?? 'modern';
  if (profile !== 'modern' && profile !== 'legacy') {
    throw new UsageError(`sim: unknown profile ${profile} (modern or legacy)`);
  }
  const tcp = options.tcp === undefined ? undefined : Number(options.tcp);
  if (tcp !== undefined && !(Number.isInteger(tcp) && tcp >= 0 && tcp < 65536)) {
    throw new UsageError(`sim: bad TCP port ${String(options.tcp)}`);
  }
  const webrepl = webreplOptions(options);
  const sim = await loadSim();
  const board = await sim.VirtualBoard.start({
    profile,
    ...(options.flash ? { flashDir: String(options.flash) } : {}),
    ...(options.baud && !webrepl ? { baud: Number(options.baud) } : {}),
    // A WebREPL board reads a TCP socket, not a UART: the network stack buffers what the
    // protocols have in flight instead of dropping it.
    ...(webrepl ? { rxBufferSize: WEBREPL_BUFFER } : {}),
  });
  const servers: Array<{ close(): Promise<void> }> = [];
  try {
    if (tcp !== undefined) {
      const server = await sim.serveTcp(board, tcp);
      servers.push(server);
      context.out(`socket://127.0.0.1:${server.port}\n`);
    }
    if (webrepl) {
      const server = await sim.serveWebrepl(board, webrepl);
      servers.push(server);
      context.out(`ws://127.0.0.1:${server.port}\n`);
    }
    if ((tcp === undefined && !webrepl) || options.pty === true) {
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
};
