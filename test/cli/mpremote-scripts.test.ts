// test/cli/mpremote-scripts.test.ts: mpremote's own test scripts (MicroPython's
// tools/mpremote/tests/, in a checkout named by MPY_MPREMOTE_TESTS: they are not copied into this
// repository) run with the built mpy in mpremote's place against the real unix board (all nine)
// and the sim (the five that need no FAT RAM disk), their output compared with their .exp files after the same filtering as run-mpremote-tests.sh (CRs
// dropped, the temp folder as ${TMP}) and with the program's name, `mpremote: ` before an error,
// read as `mpy: `. Skipped without that folder; our own tests of the same behaviour are in
// test/cli/mpremote-commands.test.ts and test/commands/paths-and-errors.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realBoardSkip, startRealBoard } from '../helpers/real-boards.js';

const BIN = fileURLToPath(new URL('../../../bin/mpy.js', import.meta.url));
const FIXTURES = process.env.MPY_MPREMOTE_TESTS ?? '';

interface Script {
  name: string;
  /** Global options of mpy for this script. */
  mpy?: string[];
  /** It mounts a FAT RAM disk (os.VfsFat), which the sim's WebAssembly port does not have. */
  fat?: boolean;
}

const SCRIPTS: Script[] = [
  { name: 'test_errno.sh' },
  { name: 'test_eval_exec_run.sh' },
  {
    name: 'test_filesystem.sh',
    // written for mpremote's automatic soft reset before each command line (`resume` skips it),
    // which mpy does with --soft-reset
    mpy: ['--soft-reset'],
    fat: true,
  },
  { name: 'test_fs_tree.sh', fat: true },
  { name: 'test_mount.sh' },
  { name: 'test_mip_local_install.sh', fat: true },
  { name: 'test_recursive_cp.sh' },
  { name: 'test_resume.sh' },
  { name: 'test_unicode.sh', fat: true },
];

/** Run `script` as run-mpremote-tests.sh does: stderr into stdout, then the filters. */
async function runScript(script: Script, device: string): Promise<string> {
  const temp = await mkdtemp(join(tmpdir(), 'mpy-mpremote-'));
  try {
    const mpremote = [process.execPath, BIN, ...(script.mpy ?? []), '-d', device].join(' ');
    const { MPY_DEVICE: _, ...env } = process.env;
    const child = spawn('bash', ['-c', 'bash "$0" 2>&1', join(FIXTURES, script.name)], {
      env: { ...env, MPREMOTE: mpremote, TMP: temp },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      output += text;
    });
    await new Promise((resolve) => child.on('close', resolve));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: run-mpremote-tests.sh's own token
    return output.replace(/\r/g, '').split(temp).join('${TMP}');
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function expected(script: Script): Promise<string> {
  const text = await readFile(join(FIXTURES, `${script.name}.exp`), 'utf8');
  return text.replace(/^mpremote: /gm, 'mpy: ');
}

const skip =
  FIXTURES && existsSync(join(FIXTURES, 'test_resume.sh'))
    ? undefined
    : 'set MPY_MPREMOTE_TESTS to a folder of mpremote test scripts (tools/mpremote/tests/)';
// MPY_MPREMOTE_SCRIPT=test_errno.sh runs one, when working on it
const only = process.env.MPY_MPREMOTE_SCRIPT;

/** A virtual board served over TCP, so its state outlives each mpy run of a script. */
async function serveSim(): Promise<{ device: string; close(): Promise<void> }> {
  const flash = await mkdtemp(join(tmpdir(), 'mpy-mpremote-sim-'));
  const server = spawn(process.execPath, [BIN, 'sim', '--tcp', '0', '--flash', flash], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const device = await new Promise<string>((resolve) => {
    let seen = '';
    server.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /socket:\/\/127\.0\.0\.1:\d+/.exec(seen);
      if (match) resolve(match[0]);
    });
  });
  return {
    device,
    async close() {
      server.kill('SIGINT');
      await new Promise((resolve) => server.on('close', resolve));
      await rm(flash, { recursive: true, force: true });
    },
  };
}

const boards = [
  { name: 'the unix board', skip: realBoardSkip('unix'), all: true },
  { name: 'the sim', skip: undefined, all: false },
];

for (const board of boards) {
  const scripts = SCRIPTS.filter((s) => (!only || s.name === only) && (board.all || !s.fat));
  const passed: string[] = [];
  // two at a time: each waits on its own board most of the time
  describe(`mpremote test scripts on ${board.name}`, {
    skip: skip ?? board.skip ?? false,
    concurrency: 2,
  }, () => {
    for (const script of scripts) {
      test(script.name, { timeout: 600_000 }, async () => {
        const served = board.all ? await startRealBoard('unix', 0) : await serveSim();
        try {
          const device = 'path' in served ? served.path : served.device;
          const output = await runScript(script, device);
          assert.equal(output, await expected(script));
          passed.push(script.name);
        } finally {
          await served.close();
        }
      });
    }
    after(() => {
      const names = passed.sort().join(', ');
      process.stdout.write(
        `# mpremote scripts passing on ${board.name}: ${passed.length} of ${scripts.length} (${names})\n`,
      );
    });
  });
}
