// bench/harness.ts: run one measured step against a board (the virtual one, or a real firmware
// behind the pty relay) and read what crossed the wire.
import { Writable } from 'node:stream';
import { main } from '../src/cli.js';
import { type CommandPtyServer, serveTcp, type TcpServer, VirtualBoard } from '../src/sim/index.js';
import { type RealBoardName, startRealBoard } from '../test/helpers/real-boards.js';

/** One measured step: wall time and exact wire bytes, both directions. */
export interface Sample {
  ms: number;
  toBoard: number;
  toHost: number;
  dropped: number;
}

/** What the rows need of a board: a device string for the CLI, its speed, counted steps. */
export interface BenchTarget {
  readonly device: string;
  /** Link speed; 0 = unthrottled. */
  readonly baud: number;
  /** How to open `device` besides its name (a WebREPL password). */
  readonly login?: { password: string };
  cli(...args: string[]): Promise<string>;
  measure(step: () => Promise<unknown>): Promise<Sample>;
  stop(): Promise<void>;
}

/** Run `mpy -d DEVICE ARGS…` in-process; throws with its stderr when it fails. */
export async function runCli(device: string, args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const sink = (into: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        into(String(chunk));
        done();
      },
    });
  const code = await main(['node', 'mpy', '-d', device, ...args], {
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
  });
  if (code !== 0) throw new Error(`mpy ${args.join(' ')} exited ${code}: ${err.trim()}`);
  return out;
}

/** A real firmware (../shared/boards) behind the pty relay, counted by the relay. */
export class RealBench implements BenchTarget {
  private constructor(
    private readonly pty: CommandPtyServer,
    readonly baud: number,
  ) {}

  static async start(name: RealBoardName, baud: number): Promise<RealBench> {
    return new RealBench(await startRealBoard(name, baud), baud);
  }

  get device(): string {
    return this.pty.path;
  }

  cli(...args: string[]): Promise<string> {
    return runCli(this.device, args);
  }

  async measure(step: () => Promise<unknown>): Promise<Sample> {
    const before = await this.pty.counters();
    const start = performance.now();
    await step();
    const ms = performance.now() - start;
    const after = await this.pty.counters();
    return {
      ms,
      toBoard: after.hostToBoard - before.hostToBoard,
      toHost: after.boardToHost - before.boardToHost,
      dropped: 0,
    };
  }

  stop(): Promise<void> {
    return this.pty.close();
  }
}

/** A virtual board reachable by the real CLI over `socket://`, with its byte counters. */
export class BenchBoard implements BenchTarget {
  private constructor(
    readonly board: VirtualBoard,
    private readonly server: TcpServer,
    /** Link speed; 0 = unthrottled. */
    readonly baud: number,
  ) {}

  static async start(profile: 'modern' | 'legacy', baud: number): Promise<BenchBoard> {
    const board = await VirtualBoard.start({ profile, baud, flashSize: 8 * 1024 * 1024 });
    return new BenchBoard(board, await serveTcp(board), baud);
  }

  get device(): string {
    return `socket://127.0.0.1:${this.server.port}`;
  }

  /** Run `mpy -d <this board> ARGS…` in-process; throws with its stderr when it fails. */
  cli(...args: string[]): Promise<string> {
    return runCli(this.device, args);
  }

  /** Time `step` and count the bytes it moved over the link. */
  async measure(step: () => Promise<unknown>): Promise<Sample> {
    this.board.resetCounters();
    const start = performance.now();
    await step();
    const ms = performance.now() - start;
    const { hostToBoard, boardToHost, dropped } = this.board.counters;
    return { ms, toBoard: hostToBoard, toHost: boardToHost, dropped };
  }

  async stop(): Promise<void> {
    await this.server.close();
    await this.board.stop();
  }
}

/** The sample with the median time of several runs (byte counts are the same every run). */
export function median(samples: Sample[]): Sample {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)];
}
