// src/many/chain.ts: a `+` chain on the boards `-d` names: which boards, whether every command
// of the chain works on many (a usage error that says why when not), and the run on each board.
import type { ConnectOptions, ContextIo } from '../commands/context.js';
import type { BoardsEnv, CommandSpec, ManyCommandRun } from '../commands/types.js';
import { MpyError, TransportError, UsageError } from '../errors.js';
import type { DeviceSpec } from './device-spec.js';
import { attachedNow, type DeviceSource, resolveDevices, shortNames } from './devices.js';
import { BoardContext, runOnBoards } from './run.js';
import { type BoardResult, resultTable } from './table.js';
import { TaggedLines } from './tagged-output.js';

/** How a board's chain ended: its exit code and, on failure, the one-line error. */
export interface ChainOutcome {
  code: number;
  error?: string;
}

/** Runs the parsed chain on one context, reporting errors to `io` as the CLI does. */
export type ChainRunner = (context: BoardContext, io: ContextIo) => Promise<ChainOutcome>;

/**
 * The boards a chain runs on. With one board found, a command that works on one board only
 * (`repl`, `mount`, `dev`) runs as usual; with several it is a usage error naming the reason.
 * No board at all is a link problem (exit 2), as `auto` finding none is.
 */
export async function boardsFor(
  specs: readonly CommandSpec[],
  devices: DeviceSpec,
  source?: DeviceSource,
): Promise<string[]> {
  const found = await resolveDevices(devices, source);
  if (found.length === 0) {
    throw new TransportError(
      `-d ${describeSpec(devices)}: no board found (see \`mpy devs\`; \`all\` takes the ports it marks with *)`,
    );
  }
  if (found.length > 1) {
    const single = specs.find((spec) => spec.many !== true);
    if (single) {
      const why = typeof single.many === 'string' ? single.many : 'it works on one board';
      throw new UsageError(`${single.name} works on one board, -d names ${found.length}: ${why}`);
    }
  }
  return found;
}

function describeSpec(devices: DeviceSpec): string {
  return devices.entries
    .map((entry) =>
      entry.kind === 'all' ? 'all' : entry.kind === 'glob' ? entry.pattern : entry.device,
    )
    .join(',');
}

/**
 * Run the chain on every board at once, each on its own connection; the table follows. Exit
 * code: 0 when every board succeeded, 130 after Ctrl-C, else 1 (each board's own is in the
 * table).
 */
export async function runChainOnBoards(
  found: readonly string[],
  connection: ConnectOptions,
  io: ContextIo,
  signal: AbortSignal,
  runChain: ChainRunner,
): Promise<{ code: number; results: BoardResult[] }> {
  const results = await runOnBoards(found, io, async (job) => {
    const context = new BoardContext({ ...connection, device: job.device }, job.io, signal);
    const outcome = await runChain(context, job.io);
    return {
      ...outcome,
      ...(context.bytesSent === undefined ? {} : { bytesSent: context.bytesSent }),
    };
  });
  const code = signal.aborted ? 130 : results.every((result) => result.code === 0) ? 0 : 1;
  return { code, results };
}

/**
 * Run a command that works on several boards as a whole (`watch`): it asks for the boards
 * itself, now and later. The table covers every board it worked with. Exit code as above.
 */
export async function runOnceOnBoards(
  run: ManyCommandRun,
  step: { args: string[]; options: Record<string, unknown> },
  devices: DeviceSpec,
  connection: ConnectOptions,
  io: ContextIo,
  signal: AbortSignal,
  report: (error: unknown, io: ContextIo) => number,
): Promise<number> {
  const results: BoardResult[] = [];
  const names = new Map<string, string>();
  const nameOf = (device: string) => {
    let name = names.get(device);
    if (name === undefined) {
      name = shortNames([...names.keys(), device]).get(device)!;
      if ([...names.values()].includes(name)) name = device;
      names.set(device, name);
    }
    return name;
  };
  const env: BoardsEnv = {
    devices: async () => attachedNow(await resolveDevices(devices)),
    open(device) {
      const name = nameOf(device);
      const stdout = new TaggedLines(io.stdout, name);
      const stderr = new TaggedLines(io.stderr, name);
      const context = new BoardContext({ ...connection, device }, { stdout, stderr }, signal);
      const started = performance.now();
      return {
        device,
        name,
        context,
        async finish(end) {
          try {
            await context.close();
          } catch {
            // A board that went away cannot be left in its REPL.
          }
          stdout.flushLine();
          stderr.flushLine();
          if (end === 'unanswered') return;
          const failed = end instanceof Error;
          results.push({
            name,
            device,
            code: failed ? (end instanceof MpyError ? end.exitCode : 70) : 0,
            ...(failed ? { error: end.message } : {}),
            ...(end === 'gone' ? { note: 'unplugged' } : {}),
            ...(context.bytesSent === undefined ? {} : { bytesSent: context.bytesSent }),
            ms: Math.round(performance.now() - started),
          });
        },
      };
    },
    err: (text) => io.stderr.write(text),
    signal,
  };
  let code = 0;
  try {
    await run(step.args, step.options, env);
  } catch (error) {
    code = report(error, io);
  }
  if (results.length > 0) {
    results.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    for (const line of resultTable(results)) io.stderr.write(`${line}\n`);
  }
  if (code !== 0) return code;
  return results.every((result) => result.code === 0) ? 0 : 1;
}
