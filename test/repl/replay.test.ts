// test/repl/replay.test.ts: the REPL layer on real board sessions (test/fixtures/streams, made by
// record-streams.ts from the unix port, the qemu port and the micro:bit firmware), replayed with
// the board's bytes all in one chunk, one byte at a time, and cut once at every position: each
// way must give the recorded stdout, errors, frames and files, with the host writing the
// recorded bytes.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { decodeTextLines, receiveFramed, sendWindowed } from '../../src/board/transfer.js';
import { BoardError } from '../../src/errors.js';
import { RawRepl } from '../../src/repl/raw-repl.js';
import { type Cuts, deliveriesPending, Recording, ReplayTransport } from './replay-transport.js';
import {
  fromLatin1,
  type Latin1,
  loadFixtures,
  type RecordedError,
  type Step,
  type StreamFixture,
  toLatin1,
} from './stream-fixture.js';

/** What one step gave: the comparable part of a Step. */
type Outcome = { stdout?: Latin1; data?: Latin1; error?: RecordedError & { message?: string } };

function expected(step: Step): Outcome {
  switch (step.op) {
    case 'exec':
      return step.error ? { error: step.error } : { stdout: step.stdout! };
    case 'download':
    case 'textDownload':
      return { data: step.data };
    case 'upload':
      return { stdout: step.stdout };
    default:
      return {};
  }
}

function failure(error: unknown): Outcome {
  if (error instanceof BoardError) {
    return { error: { name: 'BoardError', type: error.type, value: error.value } };
  }
  const name = error instanceof Error ? error.name : 'unknown';
  return { error: { name, message: error instanceof Error ? error.message : String(error) } };
}

/** The session a replay builds with its connect step. */
interface Session {
  transport: ReplayTransport;
  repl?: RawRepl;
}

async function run(session: Session, step: Step): Promise<Outcome> {
  if (step.op === 'connect') {
    // A fast `baud` only shortens the pacing of plain raw mode (micro:bit): the bytes are the same.
    session.repl = await RawRepl.connect(session.transport, { baud: 10_000_000 });
    return {};
  }
  const repl = session.repl;
  if (!repl) throw new Error(`${step.op} before connect`);
  switch (step.op) {
    case 'close':
      await repl.close();
      return {};
    case 'softReset':
      await repl.softReset();
      return {};
    case 'exec':
      return { stdout: toLatin1(await repl.exec(step.code)) };
    case 'textDownload': {
      const out = new TextDecoder().decode(await repl.exec(step.code));
      return { data: toLatin1(decodeTextLines(out, step.base64)) };
    }
    case 'download': {
      const execution = await repl.start(step.code);
      const data = await receiveFramed(execution);
      await execution.finish();
      return { data: toLatin1(data) };
    }
    case 'upload': {
      const execution = await repl.start(step.code);
      const options = { window: step.window, inFlight: step.inFlight };
      await sendWindowed(execution, fromLatin1(step.wire), options);
      return { stdout: toLatin1(await execution.finish()) };
    }
  }
}

/** Replay `fixture` with the board's bytes cut as `cuts` says; a description of every way it
 * differed from the recording (empty: the same). */
async function replay(fixture: StreamFixture, recording: Recording, cuts: Cuts): Promise<string[]> {
  const transport = new ReplayTransport(recording, cuts);
  const session: Session = { transport };
  const problems: string[] = [];
  for (const [i, step] of fixture.steps.entries()) {
    let outcome: Outcome;
    try {
      outcome = await run(session, step);
    } catch (error) {
      outcome = failure(error);
    }
    try {
      assert.deepEqual(outcome, expected(step));
    } catch {
      problems.push(`step ${i} (${step.op}): got ${JSON.stringify(outcome).slice(0, 300)}`);
      break;
    }
  }
  if (transport.divergence) problems.push(`the host left the recording at ${transport.divergence}`);
  else if (problems.length === 0 && transport.written !== recording.host.length) {
    problems.push(`the host wrote ${transport.written} of ${recording.host.length} bytes`);
  }
  await session.repl?.close();
  return problems;
}

/** Run `count` jobs, `parallel` at a time. */
async function inBatches(count: number, parallel: number, job: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/**
 * Run `work` on a virtual clock that moves on 1 ms at a time, and only while no replay has
 * bytes on their way: a board byte never arrives "late" on a busy machine, and the REPL
 * layer's quiet periods (50 ms after the banner, 200 ms after a reboot banner) cost nothing.
 */
async function onVirtualClock(work: () => Promise<void>): Promise<void> {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
  try {
    let settled = false;
    const done = work().finally(() => {
      settled = true;
    });
    done.catch(() => {});
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!deliveriesPending()) mock.timers.tick(1);
    }
    await done;
  } finally {
    mock.timers.reset();
  }
}

for (const { name, fixture } of loadFixtures()) {
  const recording = new Recording(fixture.wire);
  test(`${name}: ${fixture.about}; whole, byte by byte, and cut at each of ${recording.board.length - 1} places`, async () => {
    const failed = new Map<string, string[]>();
    const note = (cuts: string, problems: string[]) => {
      for (const problem of problems) failed.set(problem, [...(failed.get(problem) ?? []), cuts]);
    };
    await onVirtualClock(async () => {
      note('all in one', await replay(fixture, recording, 'none'));
      note('byte by byte', await replay(fixture, recording, 'every-byte'));
      await inBatches(recording.board.length - 1, 64, async (i) => {
        const at = i + 1;
        note(`cut at ${at}`, await replay(fixture, recording, { at }));
      });
    });
    const report = [...failed].map(([problem, where]) => {
      const places =
        where.length > 6
          ? `${where.slice(0, 6).join(', ')}, … (${where.length})`
          : where.join(', ');
      return `${problem}\n    when: ${places}`;
    });
    assert.equal(report.length, 0, `${name} replayed differently:\n  ${report.join('\n  ')}`);
  });
}
