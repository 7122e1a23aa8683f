// test/many/many.e2e.test.ts: one `mpy` on many real boards at once, as a classroom or a test
// rack uses it: unixboards behind ptys (one process each), plus a qemuboard and a micro:bit v1
// where they are selected, reached through a glob of symlinks; `sync` to 8 boards, a dry run
// that changes nothing, a board killed mid-sync while the others complete, and `watch` on 3
// boards that syncs a 4th plugged in mid-watch and drops one unplugged.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CommandPtyServer } from '../../src/sim/index.js';
import { BIN, runBin } from '../commands/cli-run.js';
import { BOARD_KINDS, boardFacts } from '../helpers/board-kinds.js';
import { type RealBoardName, realBoardSkip, startRealBoard } from '../helpers/real-boards.js';

/** A real firmware is in this run when one of its kinds is selected and it can run here. */
function firmwareSelected(name: RealBoardName): boolean {
  return BOARD_KINDS.some((kind) => boardFacts(kind).real === name) && !realBoardSkip(name);
}

const unixSkip = firmwareSelected('unix')
  ? undefined
  : (realBoardSkip('unix') ?? 'no unix board kind in MPY_TEST_KINDS');

/** Boards behind ptys, each reachable as `<dir>/NAME` (a symlink), so `-d '<dir>/*'` is a glob. */
interface Rack {
  dir: string;
  boards: Map<string, CommandPtyServer>;
  /** Start one more board and link it in as `name`. */
  add(name: string, firmware: RealBoardName, baud?: number): Promise<CommandPtyServer>;
  close(): Promise<void>;
}

async function rack(): Promise<Rack> {
  const dir = await mkdtemp(join(tmpdir(), 'mpy-rack-'));
  const boards = new Map<string, CommandPtyServer>();
  return {
    dir,
    boards,
    async add(name, firmware, baud = 0) {
      // the micro:bit's UART is a real one: 115200 as a user's, paced by the relay
      const board = await startRealBoard(firmware, firmware === 'microbit' ? 115200 : baud);
      boards.set(name, board);
      await symlink(board.path, join(dir, name));
      return board;
    },
    async close() {
      await Promise.all([...boards.values()].map((board) => board.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Tagged output lines (`NAME<tab>text`) grouped by board name. */
function byBoard(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab === -1) continue;
    const name = line.slice(0, tab);
    out.set(name, [...(out.get(name) ?? []), line.slice(tab + 1)]);
  }
  return out;
}

/** The table's row for `name`. */
function row(stderr: string, name: string): string {
  const line = stderr.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `no row for ${name} in:\n${stderr}`);
  return line;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Each board's sha256 of `files` through `mpy -d GLOB sha256sum`: name -> digests. */
async function boardDigests(glob: string, files: string[]): Promise<Map<string, string[]>> {
  const result = await runBin(
    '-d',
    glob,
    'sha256sum',
    '--no-verbose',
    ...files.map((f) => `:${f}`),
  );
  assert.equal(result.code, 0, result.stderr);
  return byBoard(result.stdout.toString());
}

describe('sync on many boards', { skip: unixSkip }, () => {
  let r: Rack;
  let project: string;
  // Flat and small, so the micro:bit v1 (no folders, 15 KB of flash) holds it too.
  const files: Record<string, string> = {
    'main.py': 'import util\nprint("hello", util.X)\n',
    'util.py': `X = 42\n${'# padding\n'.repeat(80)}`,
    'config.json': '{"room": 12}\n',
  };
  const names: string[] = [];

  before(async () => {
    r = await rack();
    project = await mkdtemp(join(tmpdir(), 'mpy-rack-project-'));
    for (const [name, content] of Object.entries(files))
      await writeFile(join(project, name), content);
    const starts: Promise<unknown>[] = [];
    let unix = 8;
    if (firmwareSelected('qemu')) {
      starts.push(r.add('qemu', 'qemu'));
      names.push('qemu');
      unix--;
    }
    if (firmwareSelected('microbit')) {
      starts.push(r.add('microbit', 'microbit'));
      names.push('microbit');
      unix--;
    }
    for (let i = 0; i < unix; i++) {
      starts.push(r.add(`unix${i}`, 'unix'));
      names.push(`unix${i}`);
    }
    await Promise.all(starts);
    names.sort();
  });
  after(async () => {
    await r?.close();
    await rm(project, { recursive: true, force: true });
  });

  test('sync to 8 boards: every board ok and holding the files; again: all skipped', async () => {
    const glob = join(r.dir, '*');
    const first = await runBin('-d', glob, 'sync', project);
    assert.equal(first.code, 0, first.stderr);
    const out = byBoard(first.stdout.toString());
    assert.deepEqual([...out.keys()].sort(), names);
    for (const name of names) {
      assert.deepEqual(
        out.get(name)!.filter((line) => !line.startsWith('sync: ')),
        ['+ config.json', '+ main.py', '+ util.py'],
        name,
      );
      assert.match(row(first.stderr, name), /^\S+\s+ok\s/);
    }
    assert.match(first.stderr, /\n8 of 8 boards ok\n$/);
    const digests = await boardDigests(glob, Object.keys(files));
    const want = Object.values(files).map(sha256);
    for (const name of names) assert.deepEqual(digests.get(name), want, name);

    const again = await runBin('-d', glob, 'sync', project);
    assert.equal(again.code, 0, again.stderr);
    for (const lines of byBoard(again.stdout.toString()).values()) {
      assert.match(lines.join('\n'), /^sync: 0 sent \(0 B\), 3 skipped, 0 deleted, /);
    }
  });

  test('a dry run on every board prints the plan and changes nothing', async () => {
    const glob = join(r.dir, '*');
    const edited = await mkdtemp(join(tmpdir(), 'mpy-rack-edited-'));
    try {
      await writeFile(join(edited, 'main.py'), 'print("v2")\n');
      await writeFile(join(edited, 'new.py'), 'N = 1\n');
      const listing = async () => byBoard((await runBin('-d', glob, 'ls')).stdout.toString());
      const before = { digests: await boardDigests(glob, Object.keys(files)), ls: await listing() };
      const dry = await runBin('-d', glob, 'sync', '--dry-run', '--delete', edited);
      assert.equal(dry.code, 0, dry.stderr);
      for (const [name, lines] of byBoard(dry.stdout.toString())) {
        assert.deepEqual(
          lines,
          [
            '- config.json',
            '- util.py',
            '~ main.py',
            '+ new.py',
            'sync: dry run, nothing changed: 2 to send (18 B), 0 skipped, 2 to delete',
          ],
          name,
        );
      }
      assert.deepEqual(await boardDigests(glob, Object.keys(files)), before.digests);
      assert.deepEqual(await listing(), before.ls);
    } finally {
      await rm(edited, { recursive: true, force: true });
    }
  });
});

describe('a board killed mid-sync', { skip: unixSkip }, () => {
  test('the others complete, its row says why, the exit code is 1', async () => {
    const r = await rack();
    const project = await mkdtemp(join(tmpdir(), 'mpy-rack-project-'));
    try {
      await mkdir(join(project, 'lib'));
      await writeFile(join(project, 'main.py'), 'print(1)\n');
      // random bytes do not compress: 40 KB take 3.5 s at 115200, time enough to pull the plug
      const data = randomBytes(40_000);
      await writeFile(join(project, 'lib', 'data.bin'), data);
      await Promise.all([r.add('fast0', 'unix'), r.add('fast1', 'unix'), r.add('fast2', 'unix')]);
      const doomed = await r.add('slow', 'unix', 115200);
      const child = spawn(process.execPath, [BIN, '-d', join(r.dir, '*'), 'sync', project], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let pulled = false;
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // its plan is printed just before its upload starts
        if (!pulled && /^slow\t\+ main\.py$/m.test(stdout)) {
          pulled = true;
          setTimeout(() => void doomed.close(), 400);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.ok(pulled, stdout);
      assert.equal(code, 1, stderr);
      assert.match(row(stderr, 'slow'), /^slow\s+lost the link: .*slow disconnected \(exit 2\)/);
      for (const name of ['fast0', 'fast1', 'fast2']) {
        assert.match(row(stderr, name), /^\S+\s+ok\s/);
      }
      assert.match(stderr, /\n3 of 4 boards ok\n$/);
      r.boards.delete('slow');
      const digests = await boardDigests(join(r.dir, 'fast*'), ['lib/data.bin']);
      for (const name of ['fast0', 'fast1', 'fast2']) {
        assert.deepEqual(digests.get(name), [sha256(data)], name);
      }
    } finally {
      await r.close();
      await rm(project, { recursive: true, force: true });
    }
  });
});

/** A running `mpy` whose stderr is kept, with a wait for a pattern in it. */
function startMpy(...args: string[]): {
  child: ChildProcess;
  stderr: () => string;
  /** Until `pattern` matches stderr, or until `times` of its lines match it. */
  until: (pattern: RegExp, ms?: number, times?: number) => Promise<void>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const waiters = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiters) check();
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const until = (pattern: RegExp, ms = 30_000, times?: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${pattern} in stderr after ${ms} ms:\n${text}`));
      }, ms);
      const check = () => {
        if (times === undefined ? !pattern.test(text) : count(text, pattern) < times) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { child, stderr: () => text, until, exited };
}

/** Lines of `text` that match `pattern`, counted. */
function count(text: string, pattern: RegExp): number {
  return text.split('\n').filter((line) => pattern.test(line)).length;
}

describe('watch on many boards', { skip: unixSkip }, () => {
  test('3 boards, a 4th plugged in mid-watch is synced, one unplugged is dropped', async () => {
    const r = await rack();
    const project = await mkdtemp(join(tmpdir(), 'mpy-rack-project-'));
    try {
      await mkdir(join(project, 'lib'));
      await writeFile(join(project, 'main.py'), 'print("v1")\n');
      await writeFile(join(project, 'lib', 'util.py'), 'X = 1\n');
      await Promise.all(['board0', 'board1', 'board2'].map((name) => r.add(name, 'unix')));
      const watch = startMpy('-d', join(r.dir, '*'), 'watch', project);
      try {
        await watch.until(/watching .* on 3 boards/);
        assert.equal(
          count(watch.stderr(), /^board\d\twatch: synced 2 files \(2 written, 1 folder made\)/),
          3,
        );

        await r.add('board3', 'unix');
        await watch.until(/^board3\twatch: synced 2 files \(2 written, 1 folder made\)/m, 15_000);

        await writeFile(join(project, 'main.py'), 'print("v2")\n');
        await watch.until(/^board\d\twatch: synced 1 file/, 30_000, 4);
        for (const name of ['board0', 'board1', 'board2', 'board3']) {
          assert.match(watch.stderr(), new RegExp(`^${name}\twatch: synced 1 file`, 'm'));
        }

        // unplugged: the port goes, and its node with it, as udev removes it (a dangling link
        // could come to name another test's pty: pty numbers are reused)
        await r.boards.get('board1')!.close();
        r.boards.delete('board1');
        await rm(join(r.dir, 'board1'));
        await watch.until(/^board1\twatch: unplugged: dropped/m, 10_000);
        const before = watch.stderr().length;
        await writeFile(join(project, 'lib', 'util.py'), 'X = 2\n');
        await watch.until(/^board[023]\twatch: synced 1 file/, 30_000, 6);
        const after = watch.stderr().slice(before);
        assert.equal(count(after, /^board[023]\twatch: synced 1 file/), 3, after);
        assert.equal(count(watch.stderr(), /^board1\t/), 3, 'board1: first sync, edit, dropped');
      } finally {
        watch.child.kill('SIGINT');
      }
      assert.equal(await watch.exited, 0, watch.stderr());
      assert.match(row(watch.stderr(), 'board1'), /^board1\s+unplugged\s/);
      assert.match(row(watch.stderr(), 'board3'), /^board3\s+ok\s/);
      const digests = await boardDigests(join(r.dir, '*'), ['main.py', 'lib/util.py']);
      assert.deepEqual([...digests.keys()].sort(), ['board0', 'board2', 'board3']);
      for (const [name, got] of digests) {
        assert.deepEqual(got, [sha256('print("v2")\n'), sha256('X = 2\n')], name);
      }
    } finally {
      await r.close();
      await rm(project, { recursive: true, force: true });
    }
  });
});
