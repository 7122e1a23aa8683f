// bench/webrepl.ts: the WebREPL rows: the virtual board served as a WebREPL board on the
// loopback with 20 ms added each way (WiFi's order of latency); bytes are TCP payload bytes,
// WebSocket framing included.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serveWebrepl, VirtualBoard, type WebreplServer } from '../src/sim/index.js';
import type { Fixtures, Row } from './bench.js';
import { type BenchTarget, runCli, type Sample } from './harness.js';
import { type Base, failed, watchEditRows } from './rows.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/mpy.js', import.meta.url));
const PASSWORD = 'bench';
/** One-way latency added to each direction. */
export const WEBREPL_LATENCY_MS = 20;

/** A virtual board behind `serveWebrepl`, counted at the TCP socket. */
class WebreplBench implements BenchTarget {
  readonly baud = 0;
  readonly login = { password: PASSWORD };

  private constructor(
    private readonly board: VirtualBoard,
    private readonly server: WebreplServer,
  ) {}

  static async start(): Promise<WebreplBench> {
    // As `mpy sim --webrepl` starts it: a socket's buffer instead of a UART's.
    const board = await VirtualBoard.start({ flashSize: 8 * 1024 * 1024, rxBufferSize: 65536 });
    const server = await serveWebrepl(board, {
      password: PASSWORD,
      latencyMs: WEBREPL_LATENCY_MS,
    });
    return new WebreplBench(board, server);
  }

  get device(): string {
    return `ws://127.0.0.1:${this.server.port}`;
  }

  cli(...args: string[]): Promise<string> {
    return runCli(this.device, ['--password', PASSWORD, ...args]);
  }

  async measure(step: () => Promise<unknown>): Promise<Sample> {
    const { counters } = this.server;
    const before = { ...counters };
    const start = performance.now();
    await step();
    const ms = performance.now() - start;
    return {
      ms,
      toBoard: counters.toBoard - before.toBoard,
      toHost: counters.toHost - before.toHost,
      dropped: 0,
    };
  }

  async stop(): Promise<void> {
    await this.server.close();
    await this.board.stop();
  }
}

/** The three targets: exec from process start, 64 KB each way, a watch edit. */
export async function webreplRows(
  files: Fixtures,
  repeat: (
    board: BenchTarget,
    step: () => Promise<unknown>,
    before?: () => Promise<unknown>,
  ) => Promise<Sample>,
): Promise<Row[]> {
  const base: Base = { profile: 'webrepl', link: `${WEBREPL_LATENCY_MS} ms`, baud: 0 };
  const bench = await WebreplBench.start();
  const rows: Row[] = [];
  const add = (
    name: string,
    payload: number,
    direction: Row['direction'],
    sample: Sample,
    note?: string,
  ) => rows.push({ ...base, name, payload, direction, sample, ...(note ? { note } : {}) });
  try {
    // A new process each run, as a user types it: node's start-up is part of the answer time.
    const exec = (env: NodeJS.ProcessEnv = process.env) =>
      run(
        process.execPath,
        [BIN, '-d', bench.device, '--password', PASSWORD, 'exec', 'print(6*7)'],
        { env },
      );
    await exec(); // the helper's first load is not what this row measures
    // What node itself takes to start and exit, for scale.
    const node = await repeat(bench, () => run(process.execPath, ['-e', '0']));
    add('node -e 0 (node alone), process start to exit', 0, 'none', node);
    add('mpy exec print(6*7), process start to exit', 0, 'none', await repeat(bench, exec));
    // Node reads the file NODE_EXTRA_CA_CERTS names at every start, before any of mpy's code
    // runs; some machines set it (this one does, for its proxy). The same exec without it:
    if (process.env.NODE_EXTRA_CA_CERTS) {
      const { NODE_EXTRA_CA_CERTS: _unset, ...plain } = process.env;
      const without = await repeat(bench, () => exec(plain));
      const name = 'mpy exec print(6*7), process start to exit';
      add(name, 0, 'none', without, 'NODE_EXTRA_CA_CERTS unset');
    }
    // The raw REPL's upload (MPY_WEBREPL_FILES=0), against the default's WebREPL PUT (WA
    // frames to the temp name, then the hash check and rename)
    const rawCopy = async () => {
      process.env.MPY_WEBREPL_FILES = '0';
      try {
        return await bench.cli('cp', '-f', files.random64, ':f');
      } finally {
        delete process.env.MPY_WEBREPL_FILES;
      }
    };
    add('upload 64 KB random, raw REPL', 64 * 1024, 'up', await repeat(bench, rawCopy));
    const out = join(files.dir, 'webrepl-download.bin');
    add(
      'upload 64 KB random',
      64 * 1024,
      'up',
      await repeat(bench, () => bench.cli('cp', '-f', files.random64, ':f')),
    );
    add(
      'download 64 KB random',
      64 * 1024,
      'down',
      await repeat(
        bench,
        () => bench.cli('cp', ':f', out),
        async () => rmSync(out, { force: true }),
      ),
    );
    rows.push(
      ...(await watchEditRows(bench, base, 27 * 1024, '/w').catch((e) => [
        failed(base, 'watch', e),
      ])),
    );
  } catch (error) {
    rows.push(failed(base, 'webrepl', error));
  } finally {
    await bench.stop();
  }
  return rows;
}
