// test/dev/screen.test.ts: the terminal state machine of `mpy dev` on recorded streams (split at
// every byte, as a link may chunk them): where status lines go, when an empty prompt shows, and
// how typed keys are split.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DevScreen, type KeyAction } from '../../src/dev/screen.js';

/** qemuboard after `mpy dev`'s Ctrl-D from the friendly prompt (main.py prints `mark 1`). */
const QEMU_RESET =
  '\r\nMPY: soft reboot\r\nmark 1\r\nMicroPython v1.29.0-preview on 2026-12-01; mps2-an385 ' +
  'with Cortex-M3\r\nType "help()" for more information.\r\n>>> ';
/** A program that prints without ending its line, then is interrupted by Ctrl-C. */
const MIDLINE = '\r\nMPY: soft reboot\r\ncounting 1 2 3';
/** The micro:bit v1 firmware's banner after a soft reboot (MicroPython 1.9.2). */
const MICROBIT_RESET =
  'soft reboot\r\nv1\r\nMicroPython v1.9.2-34-gd64154c73 on 2017-09-01; micro:bit v1.0.1 with ' +
  'nRF51822\r\nType "help()" for more information.\r\n>>> ';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feed `text` to a fresh screen `chunk` bytes at a time; returns the screen and what it wrote. */
function feed(text: string, chunk: number, screen = new DevScreen()): [DevScreen, string] {
  const data = bytes(text);
  let shown = '';
  for (let i = 0; i < data.length; i += chunk) {
    shown += new TextDecoder().decode(screen.output(data.subarray(i, i + chunk)));
  }
  return [screen, shown];
}

function boardBytes(actions: KeyAction[]): string {
  return actions
    .filter((a) => a.type === 'board')
    .map((a) => new TextDecoder().decode(a.data))
    .join('');
}

describe('DevScreen output', () => {
  for (const [name, stream] of [
    ['qemu', QEMU_RESET],
    ['micro:bit', MICROBIT_RESET],
  ] as const) {
    test(`${name}: output passes through unchanged and ends at an empty prompt, any chunking`, () => {
      for (let chunk = 1; chunk <= stream.length; chunk++) {
        const [screen, shown] = feed(stream, chunk);
        assert.equal(shown, stream);
        assert.equal(screen.atEmptyPrompt, true, `chunk ${chunk}`);
        // The prompt leaves the cursor mid-line: a status line starts on the next one.
        assert.equal(screen.atLineStart, false);
        assert.equal(
          screen.status('synced main.py (1 patched, 212 B, 48 ms)'),
          '\nsynced main.py (1 patched, 212 B, 48 ms)\n',
        );
      }
    });
  }

  test('a status line after a finished line needs no extra break; the next one neither', () => {
    const [screen] = feed('\r\nMPY: soft reboot\r\nv1\r\n', 1);
    assert.equal(screen.atLineStart, true);
    assert.equal(
      screen.status('board lost (cut), reconnecting'),
      'board lost (cut), reconnecting\n',
    );
    assert.equal(
      screen.status('board back, comparing by digest'),
      'board back, comparing by digest\n',
    );
  });

  test('a program printing mid-line: the status line breaks it first', () => {
    for (let chunk = 1; chunk <= MIDLINE.length; chunk++) {
      const [screen] = feed(MIDLINE, chunk);
      assert.equal(screen.atEmptyPrompt, false);
      assert.match(screen.status('synced a.py (1 written, 40 B, 9 ms)'), /^\nsynced/);
    }
  });

  test('typing at the prompt makes it non-empty until the board prints a fresh prompt', () => {
    const [screen] = feed(QEMU_RESET, 7);
    screen.keys(bytes('pri'), true);
    assert.equal(screen.atEmptyPrompt, false);
    // The board echoes, then the line runs and a new prompt follows.
    feed('pri', 1, screen);
    assert.equal(screen.atEmptyPrompt, false);
    feed('nt(6*7)\r\n42\r\n>>> ', 3, screen);
    assert.equal(screen.atEmptyPrompt, true);
  });
});

describe('DevScreen keys', () => {
  test('Ctrl-] and Ctrl-X leave; what came before still goes to the board, nothing after', () => {
    for (const exit of [0x1d, 0x18]) {
      const screen = new DevScreen();
      const actions = screen.keys(Uint8Array.of(0x61, 0x62, exit, 0x63));
      assert.deepEqual(
        actions.map((a) => a.type),
        ['board', 'leave'],
      );
      assert.equal(boardBytes(actions), 'ab');
    }
  });

  test('Ctrl-C and Ctrl-D go to the board (the board stops the program, or soft-resets)', () => {
    const [screen] = feed(QEMU_RESET, 5);
    const actions = screen.keys(Uint8Array.of(0x03, 0x04));
    assert.deepEqual(actions, [{ type: 'board', data: Uint8Array.of(0x03, 0x04) }]);
  });

  test('with --run, Ctrl-D at an empty prompt runs again instead; typed text first keeps it', () => {
    const [screen] = feed(QEMU_RESET, 5);
    assert.deepEqual(screen.keys(Uint8Array.of(0x04), true), [{ type: 'rerun' }]);
    // After a rerun the prompt is gone until the board prints one again.
    assert.deepEqual(screen.keys(Uint8Array.of(0x04), true), [
      { type: 'board', data: Uint8Array.of(0x04) },
    ]);
    const [typed] = feed(QEMU_RESET, 5);
    assert.deepEqual(typed.keys(Uint8Array.of(0x78, 0x04), true), [
      { type: 'board', data: Uint8Array.of(0x78, 0x04) },
    ]);
  });

  test('Ctrl-D while a program runs (no prompt) goes to the board even with --run', () => {
    const [screen] = feed(MIDLINE, 4);
    assert.deepEqual(screen.keys(Uint8Array.of(0x04), true), [
      { type: 'board', data: Uint8Array.of(0x04) },
    ]);
  });
});
