// test/cli/mpremote-scripts.test.ts: mpremote's own test scripts (MicroPython's
// tools/mpremote/tests/, in a checkout named by MPY_MPREMOTE_TESTS: they are not copied into this
// repository) run with the built mpy in mpremote's place against the real unix board, their
// output compared with their .exp files after the same filtering as run-mpremote-tests.sh (CRs
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
}

const SCRIPTS: Script[] = [
  { name: 'test_errno.sh' },
  { name: 'test_eval_exec_run.sh' },
  {
    name: 'test_filesystem.sh',
    // written for mpremote's automatic soft reset before each command line (`resume` skips it),
    // which mpy does with --soft-reset
    mpy: ['--soft-reset'],
  },
  { name: 'test_fs_tree.sh' },
  { name: 'test_mount.sh' },
  { name: 'test_mip_local_install.sh' },
  { name: 'test_recursive_cp.sh' },
  { name: 'test_resume.sh' },
  { name: 'test_unicode.sh' },
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

const passed: string[] = [];
const skip =
  realBoardSkip('unix') ??
  (FIXTURES && existsSync(join(FIXTURES, 'test_resume.sh'))
    ? undefined
    : 'set MPY_MPREMOTE_TESTS to a folder of mpremote test scripts (tools/mpremote/tests/)');

// two at a time: each waits on its own board most of the time
describe('mpremote test scripts on the unix board', { skip: skip ?? false, concurrency: 2 }, () => {
  // MPY_MPREMOTE_SCRIPT=test_errno.sh runs one, when working on it
  const only = process.env.MPY_MPREMOTE_SCRIPT;
  for (const script of SCRIPTS.filter((s) => !only || s.name === only)) {
    test(script.name, { timeout: 600_000 }, async () => {
      const board = await startRealBoard('unix', 0);
      try {
        const output = await runScript(script, board.path);
        assert.equal(output, await expected(script));
        passed.push(script.name);
      } finally {
        await board.close();
      }
    });
  }
  after(() => {
    const names = passed.sort().join(', ');
    process.stdout.write(
      `# mpremote scripts passing: ${passed.length} of ${SCRIPTS.length} (${names})\n`,
    );
  });
});
