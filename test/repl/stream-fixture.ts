// test/repl/stream-fixture.ts: the format of the recorded board sessions in
// test/fixtures/streams/*.json (made by record-streams.ts, replayed by replay.test.ts): what the
// host asked for, what each request gave, and every byte both ways in the order the host saw them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Bytes as a string of one char per byte (0-255); JSON escapes the control bytes. */
export type Latin1 = string;

/** How a request ended when the board raised. */
export interface RecordedError {
  /** The JS class: BoardError, TimeoutError, TransportError. */
  name: string;
  /** BoardError's Python type (`ZeroDivisionError`). */
  type?: string;
  /** BoardError's value (`divide by zero`). */
  value?: string;
}

/** One request to the REPL layer, with what it gave when it was recorded. */
export type Step =
  | { op: 'connect' }
  | { op: 'close' }
  | { op: 'softReset' }
  /** RawRepl.exec: stdout, or the error it threw. */
  | { op: 'exec'; code: string; stdout?: Latin1; error?: RecordedError }
  /** RawRepl.start + receiveFramed + finish (py/get.py): the file's bytes. */
  | { op: 'download'; code: string; data: Latin1 }
  /** RawRepl.start + sendWindowed + finish (py/put.py): the stdout of finish. */
  | { op: 'upload'; code: string; wire: Latin1; window: number; inFlight: number; stdout: Latin1 }
  /** RawRepl.exec of py/text.py's `_mpyc.g`, decoded with decodeTextLines. */
  | { op: 'textDownload'; code: string; base64: boolean; data: Latin1 };

/** A chunk as the host saw it: `h` written by the host, `b` received from the board. */
export type WireChunk = { h: Latin1 } | { b: Latin1 };

/** One recorded session: a connection from its first byte to the board's answer to Ctrl-B. */
export interface StreamFixture {
  /** The firmware and how it was reached. */
  board: string;
  /** What the session shows. */
  about: string;
  steps: Step[];
  wire: WireChunk[];
}

/** Bytes as Latin1 text. */
export function toLatin1(data: Uint8Array): Latin1 {
  let out = '';
  for (const byte of data) out += String.fromCharCode(byte);
  return out;
}

/** Latin1 text as bytes. */
export function fromLatin1(text: Latin1): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** The folder of the recordings (the sources' test/fixtures/streams, also from dist/). */
export function fixturesDir(): URL {
  const here = new URL('.', import.meta.url).pathname;
  const root = here.includes('/dist/test/') ? '../../../' : '../../';
  return new URL(`${root}test/fixtures/streams/`, import.meta.url);
}

/** Every recording, by file name. */
export function loadFixtures(): Array<{ name: string; fixture: StreamFixture }> {
  const dir = fixturesDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      name: name.replace(/\.json$/, ''),
      fixture: JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as StreamFixture,
    }));
}

/** Write a recording; bytes above 0x7e are escaped too, so the file is plain ASCII. */
export function saveFixture(name: string, fixture: StreamFixture): void {
  const json = JSON.stringify(fixture, null, 2).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  writeFileSync(new URL(`${name}.json`, fixturesDir()), `${json}\n`);
}
