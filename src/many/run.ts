// src/many/run.ts: one command line on many boards at once: each board on its own connection
// (its own SessionContext), all in parallel, its output lines tagged with its short name, and a
// table at the end. A board that fails (unplugged, an error on it) never stops the others.
import { type ContextIo, SessionContext } from '../commands/context.js';
import { countWrites } from '../commands/wire-count.js';
import type { ReplSession } from '../repl/types.js';
import type { Transport } from '../transport/transport.js';
import { shortNames } from './devices.js';
import { type BoardResult, resultTable } from './table.js';
import { TaggedLines } from './tagged-output.js';

/** A board's own context: the usual one, counting the bytes sent over each link it opens. */
export class BoardContext extends SessionContext {
  private readonly counters = new Set<{ count: number }>();

  override async session(): Promise<ReplSession> {
    const session = await super.session();
    const transport = (session as { transport?: Transport }).transport;
    if (transport) this.counters.add(countWrites(transport));
    return session;
  }

  /** Bytes sent to the board over every link this context opened; undefined before any. */
  get bytesSent(): number | undefined {
    if (this.counters.size === 0) return undefined;
    let total = 0;
    for (const counter of this.counters) total += counter.count;
    return total;
  }
}

/** What one board's run gets: its device, its short name and its tagged output. */
export interface BoardJob {
  device: string;
  name: string;
  io: ContextIo;
}

/** How one board's run ended (the table adds name, device and time). */
export interface BoardOutcome {
  code: number;
  error?: string;
  bytesSent?: number;
}

/**
 * Run `run` for every device at once, each with output tagged `NAME<tab>`; then print the table
 * on stderr. Resolves with every board's result, in the order of `devices`.
 */
export async function runOnBoards(
  devices: readonly string[],
  io: ContextIo,
  run: (job: BoardJob) => Promise<BoardOutcome>,
): Promise<BoardResult[]> {
  const names = shortNames(devices);
  const results = await Promise.all(
    devices.map(async (device): Promise<BoardResult> => {
      const name = names.get(device)!;
      const stdout = new TaggedLines(io.stdout, name);
      const stderr = new TaggedLines(io.stderr, name);
      const started = performance.now();
      let outcome: BoardOutcome;
      try {
        outcome = await run({ device, name, io: { stdout, stderr } });
      } catch (error) {
        // `run` reports the command's own errors; this is a bug of ours, kept to this board.
        outcome = { code: 70, error: `internal error: ${(error as Error).message}` };
      }
      stdout.flushLine();
      stderr.flushLine();
      return { name, device, ...outcome, ms: Math.round(performance.now() - started) };
    }),
  );
  for (const line of resultTable(results)) io.stderr.write(`${line}\n`);
  return results;
}
