// bench/harness.ts: run one measured step against a virtual board and read what crossed the wire.
import { Writable } from 'node:stream';
import { main } from '../src/cli.js';
import { serveTcp, type TcpServer, VirtualBoard } from '../src/sim/index.js';

/** One measured step: wall time and exact wire bytes, both directions. */
export interface Sample {
  ms: number;
  toBoard: number;
  toHost: number;
  dropped: number;
}

/** A virtual board reachable by the real CLI over `socket://`, with its byte counters. */
export class BenchBoard {
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
  async cli(...args: string[]): Promise<string> {
    let out = '';
    let err = '';
    const sink = (into: (s: string) => void) =>
      new Writable({
        write(chunk, _enc, done) {
          into(String(chunk));
          done();
        },
      });
    const code = await main(['node', 'mpy', '-d', this.device, ...args], {
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
