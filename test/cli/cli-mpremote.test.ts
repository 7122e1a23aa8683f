// test/cli/cli-mpremote.test.ts: mpremote's command lines as mpy reads them (shortcuts, `fs`,
// chains cut by each command's arguments), and mpy's own lines left as they are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mpyArgv } from '../../src/cli.js';

const cases: Array<[string[], string[]]> = [
  // mpy's own forms
  [
    ['-d', 'sim', 'cp', '-r', 'a', ':b', '+', 'ls'],
    ['-d', 'sim', 'cp', '-r', 'a', ':b', '+', 'ls'],
  ],
  [
    ['watch', 'src', '--to', ':/app', '--run', 'main.py'],
    ['watch', 'src', '--to', ':/app', '--run', 'main.py'],
  ],
  [
    ['exec', '--timeout', '5', 'x = 1'],
    ['exec', '--timeout', '5', 'x = 1'],
  ],
  [
    ['--baud=9600', 'repl'],
    ['--baud=9600', 'repl'],
  ],
  [[], []],
  // chains without +: each command takes its own arguments
  [
    ['exec', 'a = 1', 'eval', 'a'],
    ['exec', 'a = 1', '+', 'eval', 'a'],
  ],
  [
    ['exec', '--no-follow', 'x', 'run', 'f.py', 'repl'],
    ['exec', '--no-follow', 'x', '+', 'run', 'f.py', '+', 'repl'],
  ],
  [
    ['eval', '1+2', 'disconnect', 'eval', '2+3'],
    ['eval', '1+2', '+', 'disconnect', '+', 'eval', '2+3'],
  ],
  [
    ['df', 'ls'],
    ['df', '+', 'ls'],
  ],
  // variadic commands take every word up to +, as mpremote's do
  [
    ['cp', 'a.py', ':b.py', 'run'],
    ['cp', 'a.py', ':b.py', 'run'],
  ],
  [
    ['rm', '-rv', ':x', '+', 'ls'],
    ['rm', '-rv', ':x', '+', 'ls'],
  ],
  [
    ['tree', '-s', '--human'],
    ['tree', '-s', '--human'],
  ],
  // mpy's mount (the board as a local folder) ends a chain; with commands after it, or -l,
  // it is mpremote's (a computer folder on the board)
  [
    ['mount', '/mnt/board'],
    ['mount', '/mnt/board'],
  ],
  [
    ['mount', '.', 'exec', 'import x'],
    ['mount-local', '.', '+', 'exec', 'import x'],
  ],
  [
    ['mount', '-l', 'src', '+', 'repl'],
    ['mount-local', '-l', 'src', '+', 'repl'],
  ],
  [
    ['mount', '--unsafe-links', 'src'],
    ['mount-local', '--unsafe-links', 'src'],
  ],
  // shortcuts
  [
    ['a0', 'ls'],
    ['connect', '/dev/ttyACM0', '+', 'ls'],
  ],
  [['u1'], ['connect', '/dev/ttyUSB1']],
  [['connect', 'list'], ['devs']],
  [
    ['connect', 'port:/dev/ttyS0', 'exec', 'x'],
    ['connect', 'port:/dev/ttyS0', '+', 'exec', 'x'],
  ],
  [['fs', 'ls'], ['ls']],
  [
    ['fs', '-r', '--no-verbose', 'cp', 'd', ':'],
    ['cp', '-r', '--no-verbose', 'd', ':'],
  ],
  [
    ['soft-reset', 'eval', '1'],
    ['reset', '+', 'eval', '1'],
  ],
  [
    ['resume', 'ls', ':lib'],
    ['resume', '+', 'ls', ':lib'],
  ],
  [['help'], ['--help']],
  [['version'], ['--version']],
  [
    ['sleep', '0.5', 'exec', 'x'],
    ['sleep', '0.5', '+', 'exec', 'x'],
  ],
  [
    ['bootloader'],
    ['exec', '--no-follow', 'import time, machine; time.sleep_ms(100); machine.bootloader()'],
  ],
];

test('mpremote command lines become mpy chains; mpy lines stay as they are', () => {
  for (const [given, expected] of cases) {
    assert.deepEqual(mpyArgv(given), expected, given.join(' '));
  }
});

test('forms mpy cannot take are refused in one line', () => {
  assert.throws(() => mpyArgv(['fs']), /fs: missing command/);
  assert.throws(() => mpyArgv(['fs', 'frob', 'x']), /'frob' is not a filesystem command/);
});
