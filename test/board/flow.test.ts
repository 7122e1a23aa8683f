// test/board/flow.test.ts: upload windows by link and board: a UART's two 128-byte windows, a
// lossless link's 16 KB in flight, and the ESP8266, whose WebREPL input buffer drops the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flowFor } from '../../src/board/board.js';
import type { Capabilities } from '../../src/repl/types.js';

const board = (platform: string) => ({ platform }) as Capabilities;
const uart = { window: 128, inFlight: 2 };

test('a UART keeps the board options', () => {
  assert.deepEqual(flowFor(uart, board('esp32')), uart);
});

test('a lossless link keeps its buffer in flight in 256-byte windows', () => {
  const flow = flowFor({ ...uart, linkBuffer: 16 * 1024 }, board('esp32'));
  assert.deepEqual(flow, { window: 256, inFlight: 64 });
  assert.deepEqual(flowFor({ ...uart, linkBuffer: 16 * 1024 }, board('rp2')), flow);
});

test("an ESP8266 keeps the UART's windows on WebREPL", () => {
  assert.deepEqual(flowFor({ ...uart, linkBuffer: 16 * 1024 }, board('esp8266')), {
    ...uart,
    linkBuffer: 16 * 1024,
  });
});

test('a link buffer smaller than the options changes nothing', () => {
  const options = { window: 128, inFlight: 8, linkBuffer: 1024 };
  assert.deepEqual(flowFor(options, board('esp32')), options);
});
