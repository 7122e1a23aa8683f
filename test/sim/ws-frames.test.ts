// test/sim/ws-frames.test.ts: the sim's WebSocket server framing and upgrade, byte for byte.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeFrame, FrameParser, upgradeResponse } from '../../src/sim/ws-frames.js';

/** A client frame as RFC 6455 has it: masked with `mask`. */
function clientFrame(opcode: number, payload: Buffer, mask = [0x37, 0xfa, 0x21, 0x3d]): Buffer {
  const length =
    payload.length < 126
      ? Buffer.from([0x80 | payload.length])
      : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x80 | opcode]), length, Buffer.from(mask), masked]);
}

describe('FrameParser', () => {
  test("unmasks RFC 6455's example frame", () => {
    const frames = new FrameParser().push(
      Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]),
    );
    assert.deepEqual(
      frames.map((f) => [f.fin, f.opcode, f.payload.toString()]),
      [[true, 1, 'Hello']],
    );
  });

  test('frames split anywhere, 16-bit lengths, several in one chunk', () => {
    const big = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff));
    const wire = Buffer.concat([clientFrame(1, big), clientFrame(8, Buffer.from([3, 0xe8]))]);
    const parser = new FrameParser();
    const frames = [];
    for (let i = 0; i < wire.length; i += 7) frames.push(...parser.push(wire.subarray(i, i + 7)));
    assert.equal(frames.length, 2);
    assert.ok(frames[0]!.payload.equals(big));
    assert.deepEqual([frames[1]!.opcode, [...frames[1]!.payload]], [8, [3, 0xe8]]);
  });
});

describe('encodeFrame', () => {
  test('short, 16-bit and 64-bit lengths, never masked', () => {
    assert.deepEqual([...encodeFrame(1, Buffer.from('hi'))], [0x81, 2, 0x68, 0x69]);
    assert.deepEqual([...encodeFrame(8, Buffer.alloc(0))], [0x88, 0]);
    assert.deepEqual([...encodeFrame(2, Buffer.alloc(300)).subarray(0, 4)], [0x82, 126, 1, 44]);
    const huge = encodeFrame(1, Buffer.alloc(70_000));
    assert.deepEqual([...huge.subarray(0, 10)], [0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
  });
});

describe('upgradeResponse', () => {
  const head = (lines: string[]) => ['GET / HTTP/1.1', 'Host: board', ...lines].join('\r\n');

  test("answers with RFC 6455's example accept key", () => {
    const response = upgradeResponse(
      head([
        'Upgrade: websocket',
        'Connection: keep-alive, Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      ]),
    );
    assert.equal(
      response,
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n',
    );
  });

  test('compares header names case-sensitively, as webrepl.py does', () => {
    for (const lines of [
      ['upgrade: websocket', 'connection: upgrade', 'sec-websocket-key: x'],
      ['Upgrade: websocket', 'connection: Upgrade', 'Sec-WebSocket-Key: x'],
      ['Upgrade: websocket', 'Connection: Upgrade'],
    ]) {
      assert.equal(upgradeResponse(head(lines)), undefined, lines.join(' / '));
    }
  });
});
