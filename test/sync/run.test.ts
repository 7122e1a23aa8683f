// test/sync/run.test.ts: the --run/--reset runner against a scripted REPL: output streams, the
// next sync interrupts the program, --reset soft-resets and runs /main.py only when it exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoardError } from '../../src/errors.js';
import type { ExecOptions } from '../../src/repl/types.js';
import { ProgramRunner, runFileCode } from '../../src/sync/run.js';
import type { BoardSession, ProgramRepl } from '../../src/sync/syncer.js';
import { MemoryBoard } from './memory-board.js';

/** A REPL whose program prints once and then runs until interrupted. */
class ScriptedRepl implements ProgramRepl {
  readonly calls: string[] = [];
  private stopRunning: (() => void) | undefined;

  async exec(code: string, options?: ExecOptions): Promise<Uint8Array> {
    this.calls.push(`exec ${code.trim()}`);
    options?.onOutput?.(new TextEncoder().encode('hello\r\n'));
    await new Promise<void>((resolve) => {
      this.stopRunning = resolve;
    });
    throw new BoardError('KeyboardInterrupt', '', 'Traceback...\r\nKeyboardInterrupt: \r\n');
  }

  async interrupt(): Promise<void> {
    this.calls.push('interrupt');
    this.stopRunning?.();
  }

  async softReset(): Promise<void> {
    this.calls.push('softReset');
  }
}

function session(repl: ProgramRepl, board = new MemoryBoard()): BoardSession {
  return { board, repl, close: async () => {} };
}

test('--run streams the output and the next sync interrupts the program', async () => {
  const repl = new ScriptedRepl();
  const output: string[] = [];
  const logs: string[] = [];
  const runner = new ProgramRunner(
    { kind: 'run', path: "/app's.py" },
    (data) => output.push(new TextDecoder().decode(data)),
    (line) => logs.push(line),
  );
  await runner.start(session(repl));
  assert.deepEqual(output, ['hello\r\n']);
  await runner.stop();
  assert.deepEqual(repl.calls, [`exec ${runFileCode("/app's.py").trim()}`, 'interrupt']);
  assert.deepEqual(logs, ["running /app's.py"], 'an interrupt is not reported as an error');
  await runner.stop();
  assert.equal(repl.calls.length, 2, 'stopping twice interrupts once');
});

test('the file name reaches the board only as an escaped literal', () => {
  assert.equal(
    runFileCode("/x'); import os; os.remove('main.py"),
    "exec(open('/x\\'); import os; os.remove(\\'main.py').read(),{'__name__':'__main__'})\n",
  );
});

test('--reset soft-resets and runs /main.py only when the board has one', async () => {
  const board = new MemoryBoard();
  const repl = new ScriptedRepl();
  const runner = new ProgramRunner({ kind: 'reset' }, () => {});
  await runner.start(session(repl, board));
  assert.deepEqual(repl.calls, ['softReset']);
  board.files.set('/main.py', new TextEncoder().encode('print(1)'));
  await runner.start(session(repl, board));
  assert.deepEqual(repl.calls, [
    'softReset',
    'softReset',
    `exec ${runFileCode('/main.py').trim()}`,
  ]);
  await runner.stop();
});
