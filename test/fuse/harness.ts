// test/fuse/harness.ts: mount a BoardFs for real in a temp folder and drive it with shell tools in
// child processes (never sync fs calls: this process serves the FUSE requests).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BoardFs } from '../../src/board/types.js';
import {
  loadFuse,
  type MountedBoard,
  type MountOptions,
  mountBoard,
} from '../../src/fuse/mount.js';

const run = promisify(execFile);

/** Why FUSE tests cannot run here, or undefined when they can. */
export async function fuseUnavailable(): Promise<string | undefined> {
  if (!existsSync('/dev/fuse')) return '/dev/fuse is missing (no FUSE kernel module)';
  try {
    await loadFuse();
  } catch (error) {
    return `fuse-native cannot load libfuse.so.2: ${(error as Error).message}`;
  }
  return undefined;
}

/** Result of a shell command run in the mountpoint. */
export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A live test mount: `sh` runs a command with the mountpoint as cwd. */
export interface TestMount {
  dir: string;
  mounted: MountedBoard;
  sh(command: string): Promise<ShellResult>;
  /** Like sh, but fails the test on a non-zero exit. */
  ok(command: string): Promise<string>;
  close(): Promise<void>;
}

/** Mount `board` on a fresh temp folder. */
export async function mountForTest(board: BoardFs, options: MountOptions = {}): Promise<TestMount> {
  const dir = await mkdtemp(join(tmpdir(), 'mpy-fuse-'));
  const mounted = await mountBoard(board, dir, options);
  const sh = async (command: string): Promise<ShellResult> => {
    try {
      const { stdout, stderr } = await run('sh', ['-c', command], {
        cwd: dir,
        env: { ...process.env, LC_ALL: 'C' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };
  return {
    dir,
    mounted,
    sh,
    async ok(command) {
      const result = await sh(command);
      if (result.code !== 0) {
        throw new Error(`\`${command}\` exited ${result.code}: ${result.stderr}${result.stdout}`);
      }
      return result.stdout;
    },
    async close() {
      await mounted.unmount();
      // Belt and braces: a failed test must never leave a mount behind.
      await run('fusermount', ['-u', '-z', dir]).catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}
