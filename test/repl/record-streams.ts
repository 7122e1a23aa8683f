// test/repl/record-streams.ts: record real board sessions as fixtures for replay.test.ts. Runs
// each board of ../shared/boards (or $MPY_TEST_BOARDS) as an `exec:` device, drives the REPL
// layer through a recording Transport and saves test/fixtures/streams/<board>-<scenario>.json.
//   npm run build && node dist/test/repl/record-streams.js [BOARD[:SCENARIO,...]]...
// (boards: unix, qemu, microbit; the scenarios are below).

import { digestOf } from '../../src/board/digest.js';
import { HelperLoader } from '../../src/board/helper-loader.js';
import { pyBytes, pyCall } from '../../src/board/py-literal.js';
import { helperSource, withNeeds } from '../../src/board/py-source.js';
import {
  decodeTextLines,
  receiveFramed,
  sendWindowed,
  textUploadCode,
} from '../../src/board/transfer.js';
import { BoardError } from '../../src/errors.js';
import { parsePythonLiteral } from '../../src/repl/literal.js';
import { loadReplPython } from '../../src/repl/python.js';
import {
  capabilitiesFromProbe,
  isProbeAnswer,
  probeAnswerOf,
  RawRepl,
} from '../../src/repl/raw-repl.js';
import type { Capabilities } from '../../src/repl/types.js';
import { LinkEvents } from '../../src/transport/emitter.js';
import { openTransport } from '../../src/transport/open.js';
import { ByteReader } from '../../src/transport/reader.js';
import type { Transport } from '../../src/transport/transport.js';
import { type RealBoardName, realBoardCommand } from '../helpers/real-boards.js';
import {
  type RecordedError,
  type Step,
  saveFixture,
  toLatin1,
  type WireChunk,
} from './stream-fixture.js';

/** A window of the board's traffic, passed through and written down. */
class RecordingTransport implements Transport {
  readonly wire: WireChunk[] = [];
  private readonly events = new LinkEvents();
  private readonly off: Array<() => void>;

  constructor(private readonly inner: Transport) {
    this.off = [
      inner.onData((data) => {
        this.wire.push({ b: toLatin1(data) });
        if (!this.events.closed) this.events.data(data);
      }),
    ];
  }

  get description(): string {
    return this.inner.description;
  }

  async write(data: Uint8Array): Promise<void> {
    this.wire.push({ h: toLatin1(data) });
    await this.inner.write(data);
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  /** The session ends; the board stays powered for the next one. */
  async close(): Promise<void> {
    this.events.close();
  }

  /** Stop recording (after the board's answer to the closing Ctrl-B). */
  stop(): void {
    for (const off of this.off) off();
  }
}

/** What the recorder needs of a session being recorded. */
interface Session {
  repl: RawRepl;
  steps: Step[];
  exec(code: string): Promise<Uint8Array>;
}

type Scenario = { about: string; run(session: Session): Promise<void> };

function errorOf(error: unknown): RecordedError {
  if (error instanceof BoardError)
    return { name: 'BoardError', type: error.type, value: error.value };
  return { name: error instanceof Error ? error.name : 'unknown' };
}

/** The probe, as the board layer runs it (its own exec, so the steps show it). */
async function probe(session: Session): Promise<Capabilities> {
  const answer = parsePythonLiteral(
    new TextDecoder().decode(await session.exec(loadReplPython('capabilities.py'))),
  );
  if (!isProbeAnswer(answer)) throw new Error(`odd probe answer ${String(answer)}`);
  return capabilitiesFromProbe(answer, false);
}

/** A helper loader that sends through the recorded session. */
function loaderFor(session: Session, caps: Capabilities): HelperLoader {
  return new HelperLoader({
    capabilities: async () => caps,
    probe: () => probeAnswerOf(caps),
    exec: session.exec,
    debug: () => {},
  });
}

/** File contents that put every framing byte sequence inside the payload. */
function trickyBytes(size: number): Uint8Array {
  const traps = '\x04\x04>\r\nOK\x04R\x01\x80\x00\x01raw REPL; CTRL-B to exit\r\n>\n\x01\x04';
  const out = new Uint8Array(size);
  let seed = 7;
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = i % 64 < traps.length ? traps.charCodeAt(i % 64) : seed >> 16;
  }
  return out;
}

const FILE = '/stream.bin';
const FILE_DATA = trickyBytes(300);

/** Put FILE on the board without recording (the board layer's text upload would be long). */
async function seedFile(repl: RawRepl, flat: boolean): Promise<void> {
  const name = flat ? FILE.slice(1) : FILE;
  await repl.exec(
    `f=open(${JSON.stringify(name)},'wb')\nf.write(${pyBytes(FILE_DATA)})\nf.close()\n`,
  );
}

const common: Record<string, Scenario> = {
  exec: {
    about: 'raw REPL entry from the friendly prompt, execs with output (bare and \\r\\n lines)',
    async run(s) {
      await s.exec("print('hello')");
      await s.exec("for i in range(12):\n print(i, 'y' * i)\nprint('a\\r\\nb', end='')");
      await s.exec('x = 1');
    },
  },
  exception: {
    about: 'an exec raising an exception, output before it, then a clean exec',
    async run(s) {
      await s.exec("print('before')\ndef f():\n return 1/0\nf()").catch(() => {});
      await s.exec("raise OSError(2, 'ENOENT')").catch(() => {});
      await s.exec('print(2)');
    },
  },
  'soft-reset': {
    about: 'a soft reset in the raw REPL, then an exec that shows the globals are gone',
    async run(s) {
      await s.exec('gone = 1');
      s.steps.push({ op: 'softReset' });
      await s.repl.softReset();
      await s.exec("print('gone' in globals())");
    },
  },
  'banner-output': {
    about: "an exec whose output ends like a rebooted board's banner, then more output",
    async run(s) {
      // the unix port does not turn \n into \r\n, the others do: the banner's own \r\n either way
      const n = "('\\r\\n' if __import__('sys').platform == 'linux' else '\\n')";
      const banner = `'MicroPython v9.9 on 2026-01-01; a file' + ${n} + 'Type "help()" for more information.' + ${n} + '>>> '`;
      await s.exec(`print(${banner}, end='')`);
      await s.exec(`print(${banner})`);
    },
  },
  exit: {
    about: 'code ending in sys.exit(): the board soft-resets right after the framing',
    async run(s) {
      await s.exec("print('bye')\nimport sys\nsys.exit()");
      await s.exec("print('sys' in globals())");
    },
  },
  output: {
    about: 'one exec printing about 1.5 KB in a loop',
    async run(s) {
      await s.exec("for i in range(50):\n print('%02d' % i, 'z' * 25)");
    },
  },
};

const binary: Record<string, Scenario> = {
  download: {
    about: 'py/get.py: a 300-byte file whose bytes hold the framing markers, framed raw',
    async run(s) {
      const caps = await probe(s);
      const loader = loaderFor(s, caps);
      await loader.with(['get'], async (prelude) => {
        const code = await prelude.startCode('get', pyCall('_mpy.get', FILE));
        const execution = await s.repl.start(code);
        const data = await receiveFramed(execution);
        await execution.finish();
        s.steps.push({ op: 'download', code, data: toLatin1(data) });
      });
    },
  },
  upload: {
    about: 'py/put.py: a 600-byte upload in 128-byte windows, two in flight, with acks',
    async run(s) {
      const caps = await probe(s);
      const loader = loaderFor(s, caps);
      const wire = trickyBytes(600);
      const digest = digestOf(caps.hashlib ? 'sha256' : 'adler', wire);
      await loader.with(['put'], async (prelude) => {
        const call = pyCall('_mpy.put', '/up.tmp', '/up.bin', wire.length, 128, 0, digest);
        const code = await prelude.startCode('put', call);
        const execution = await s.repl.start(code);
        await sendWindowed(execution, wire, { window: 128, inFlight: 2 });
        const stdout = await execution.finish();
        s.steps.push({
          op: 'upload',
          code,
          wire: toLatin1(wire),
          window: 128,
          inFlight: 2,
          stdout: toLatin1(stdout),
        });
      });
    },
  },
};

const text: Record<string, Scenario> = {
  'text-download': {
    about: 'py/tget.py: a download as bytes-repr or hex lines (no sys.stdout.buffer, no binascii)',
    async run(s) {
      const caps = await probe(s);
      const code = `${helperSource('core')}${helperSource('tget')}_mpy.tg(${JSON.stringify(FILE.slice(1))},32)\n`;
      const out = await s.repl.exec(code);
      const data = decodeTextLines(new TextDecoder().decode(out), caps.binascii);
      s.steps.push({ op: 'textDownload', code, base64: caps.binascii, data: toLatin1(data) });
    },
  },
};

text['text-upload'] = {
  about: 'py/tput.py: an upload as bytes literals in execs of 100 bytes, then the commit',
  async run(s) {
    // a fresh heap: the helpers of earlier sessions fill most of this board's 8 KB
    s.steps.push({ op: 'softReset' });
    await s.repl.softReset();
    const data = trickyBytes(300);
    // the helper one part an exec, as on any small board, then small chunks
    for (const part of withNeeds(['tput'], { hashlib: false, rename: false })) {
      await s.exec(`${helperSource(part)}import gc\ngc.collect()\n`);
    }
    for (const { code } of textUploadCode('up.tmp', data, 100, false)) await s.exec(`${code}\n`);
    await s.exec(`${pyCall('_mpyc.c', 'up.bin', digestOf('adler', data))}\n`);
  },
};

const BOARDS: Record<string, { name: RealBoardName; about: string; scenarios: string[] }> = {
  unix: {
    name: 'unix',
    about: 'unixboard',
    scenarios: [
      'exec',
      'exception',
      'soft-reset',
      'exit',
      'output',
      'banner-output',
      'download',
      'upload',
    ],
  },
  qemu: {
    name: 'qemu',
    about: 'qemuboard',
    scenarios: ['exec', 'exception', 'soft-reset', 'exit', 'banner-output', 'download', 'upload'],
  },
  microbit: {
    name: 'microbit',
    about: 'micro:bit v1',
    scenarios: ['exec', 'exception', 'soft-reset', 'exit', 'text-download', 'text-upload'],
  },
};

const scenarios: Record<string, Scenario> = { ...common, ...binary, ...text };

/** Wait until the board has said nothing for `quietMs`. */
async function quiet(inner: Transport, quietMs: number): Promise<void> {
  const reader = new ByteReader(inner);
  await reader.drain(quietMs, 20_000);
  reader.dispose();
}

async function recordBoard(key: string, only?: string[]): Promise<void> {
  const board = BOARDS[key];
  if (!board) throw new Error(`no board ${key}: ${Object.keys(BOARDS).join(', ')}`);
  const inner = await openTransport(`exec:${realBoardCommand(board.name).join(' ')}`);
  try {
    // Booted: the friendly prompt, then silence.
    const boot = new ByteReader(inner);
    await boot.readUntil('>>> ', 60_000);
    boot.dispose();
    await quiet(inner, 500);
    // Setup, not recorded: the version for the fixtures, and the file to download.
    const setup = new RecordingTransport(inner);
    const repl = await RawRepl.connect(setup);
    const version = await repl.reprOf('__import__("sys").version');
    await seedFile(repl, board.name === 'microbit');
    await repl.close();
    setup.stop();
    await quiet(inner, 300);
    for (const scenario of only ?? board.scenarios) {
      await recordScenario(board.about, version, scenario, inner);
    }
  } finally {
    await inner.close();
  }
}

async function recordScenario(
  about: string,
  version: string,
  name: string,
  inner: Transport,
): Promise<void> {
  const scenario = scenarios[name]!;
  const recording = new RecordingTransport(inner);
  const steps: Step[] = [{ op: 'connect' }];
  const repl = await RawRepl.connect(recording);
  const exec = async (code: string): Promise<Uint8Array> => {
    const step: Step = { op: 'exec', code };
    steps.push(step);
    try {
      const stdout = await repl.exec(code);
      step.stdout = toLatin1(stdout);
      return stdout;
    } catch (error) {
      step.error = errorOf(error);
      throw error;
    }
  };
  await scenario.run({ repl, steps, exec });
  steps.push({ op: 'close' });
  await repl.close();
  await quiet(inner, 300);
  recording.stop();
  const file = `${about.replace(/\W+/g, '').toLowerCase()}-${name}`;
  saveFixture(file, {
    board: `${about} (${version}), exec: device`,
    about: scenario.about,
    steps,
    wire: merged(recording.wire),
  });
  console.log(`${file}: ${steps.length} steps, ${recording.wire.length} chunks`);
}

/** Consecutive host writes joined (the host's own chunking is not under test). */
function merged(wire: WireChunk[]): WireChunk[] {
  const out: WireChunk[] = [];
  for (const chunk of wire) {
    const last = out.at(-1);
    if (last && 'h' in last && 'h' in chunk) last.h += chunk.h;
    else out.push({ ...chunk });
  }
  return out;
}

// Arguments: BOARD or BOARD:SCENARIO,SCENARIO (default: every scenario of every board).
const wanted = process.argv.slice(2);
for (const arg of wanted.length ? wanted : Object.keys(BOARDS)) {
  const [key, only] = arg.split(':');
  await recordBoard(key!, only?.split(','));
}
