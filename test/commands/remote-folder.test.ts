// test/commands/remote-folder.test.ts: the host side of mpremote's mount (src/commands/remote-
// folder.ts): requests taken out of the board's output however it is cut, answers framed as
// py/rfs.py reads them, and paths that never leave the folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pyValue } from '../../src/board/py-literal.js';
import { RemoteFolder } from '../../src/commands/remote-folder.js';

const root = mkdtempSync(join(tmpdir(), 'mpy-remote-folder-'));
after(() => rmSync(root, { recursive: true, force: true }));
const bytes = (s: string) => new TextEncoder().encode(s);

/** A request as the board writes it: 0x18, the tuple's repr, a newline. */
function request(...args: (string | number | Uint8Array)[]): Uint8Array {
  return bytes(`\x18(${args.map((a) => pyValue(a)).join(', ')},)\n`);
}

/** Decode answer frames (0x18, status, length, payload): [status, payload text]. */
function frames(answers: Uint8Array[]): [number, string][] {
  return answers.map((frame) => {
    assert.equal(frame[0], 0x18);
    const length = new DataView(frame.buffer, frame.byteOffset).getUint32(2, true);
    assert.equal(frame.length, 6 + length);
    return [frame[1]!, new TextDecoder().decode(frame.subarray(6))];
  });
}

async function serve(folder: RemoteFolder, stream: Uint8Array, cut: number) {
  const answers: Uint8Array[] = [];
  const shown: number[] = [];
  for (let at = 0; at < stream.length; at += cut) {
    shown.push(...folder.feed(stream.subarray(at, at + cut), async (a) => void answers.push(a)));
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { shown: new TextDecoder().decode(Uint8Array.from(shown)), answers: frames(answers) };
}

test('requests come out of the output wherever it is cut; the rest is shown', async () => {
  mkdirSync(join(root, 'a'));
  writeFileSync(join(root, 'a', "it's ünï.txt"), 'hello\nworld\n');
  const stream = Buffer.concat([
    bytes('before '),
    request('ls', '/a'),
    bytes('middle \x18not a request\n'),
    request('s', "/a/it's ünï.txt"),
    request('o', "a/it's ünï.txt", 'r'),
    request('l', 1),
    request('r', 1, -1),
    request('c', 1),
    request('s', '/missing'),
    bytes('after'),
  ]);
  for (const cut of [1, 3, stream.length]) {
    const { shown, answers } = await serve(new RemoteFolder(root), stream, cut);
    assert.equal(shown, 'before middle \x18not a request\nafter');
    assert.equal(answers.length, 7);
    assert.deepEqual(answers[0], [0, "fit's ünï.txt\0"]);
    assert.match(answers[1]![1], /^32768 12 \d+$/);
    assert.deepEqual(answers.slice(2), [
      [0, '1'],
      [0, 'hello\n'],
      [0, 'world\n'],
      [0, ''],
      [1, '2'],
    ]);
  }
});

test('writes, folders, renames and removals reach the folder; errors are errnos', async () => {
  const folder = new RemoteFolder(root);
  const stream = Buffer.concat([
    request('md', '/w'),
    request('o', '/w/x.bin', 'wb'),
    request('w', 1, Uint8Array.of(0, 3, 4, 255)),
    request('c', 1),
    request('mv', '/w/x.bin', '/w/y.bin'),
    request('cd', '/w/../w/.'),
    request('rd', '/w'),
    request('w', 9, Uint8Array.of(1)),
    request('o', '/w', 'r'),
  ]);
  const { answers } = await serve(folder, stream, 5);
  assert.deepEqual(answers, [
    [0, ''],
    [0, '1'],
    [0, '4'],
    [0, ''],
    [0, ''],
    [0, '/w'],
    [1, '39'],
    [1, '9'],
    [1, '21'],
  ]);
  assert.deepEqual(readFileSync(join(root, 'w', 'y.bin')), Buffer.from([0, 3, 4, 255]));
});

test('paths stay inside the folder: .. stops at its top, links out are refused', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'mpy-outside-'));
  try {
    writeFileSync(join(outside, 'secret'), 'no');
    writeFileSync(join(root, 'secret'), 'yes');
    symlinkSync(outside, join(root, 'out'));
    const stream = Buffer.concat([
      request('o', '/../../../secret', 'r'),
      request('r', 1, -1),
      request('o', '/out/secret', 'r'),
      request('o', '/out/new', 'w'),
    ]);
    const { answers } = await serve(new RemoteFolder(root), stream, 64);
    assert.deepEqual(answers, [
      [0, '1'],
      [0, 'yes'],
      [1, '13'],
      [1, '13'],
    ]);
    const allowed = await serve(new RemoteFolder(root, { unsafeLinks: true }), stream, 64);
    assert.deepEqual(allowed.answers.slice(2, 3), [[0, '2']]);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});
