// test/board/pack.test.ts: the packed download (src/board/py/once/gz.py on the board, as it is
// sent, run in bare MicroPython; src/board/pack.ts on the host) gives back every file exactly,
// packs Python source to under half, and a corrupt stream is an error, not a wrong file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, before, test } from 'node:test';
import { onceSource } from '../../src/board/once.js';
import { unpack } from '../../src/board/pack.js';
import { pyValue } from '../../src/board/py-literal.js';
import { packDownloads } from '../../src/commands/context.js';
import { TransportError } from '../../src/errors.js';
import { loadWasmPython, type WasmPython } from './wasm-python.js';

let py: WasmPython;
before(async () => {
  py = await loadWasmPython();
});

/** A module of the kind users copy: repeated shapes, different names. */
function source(size: number): Uint8Array {
  const lines: string[] = ['import time', 'from machine import Pin, I2C', ''];
  for (let i = 0; lines.join('\n').length < size; i++) {
    lines.push(
      `def read_${i}(bus, address=${(i * 37) % 128}):`,
      `    """Read register ${i} of the sensor at address."""`,
      `    data = bus.readfrom_mem(address, ${i % 16}, 2)`,
      `    return (data[0] << 8 | data[1]) * ${i + 1}`,
      '',
    );
  }
  return new TextEncoder().encode(lines.join('\n').slice(0, size));
}

/** What the board's gz.py sends for `data`: its output written to a file instead of stdout. */
function boardSends(data: Uint8Array, pack = true): Buffer {
  py.run(`f=open('/g.in','wb');f.write(${pyValue(data)});f.close()`);
  const program = onceSource('gz').replace('sys.stdout.buffer', "open('/g.out','wb')");
  py.run(`${program}_o('/g.in',${pack ? 1 : 0})\ndel _o\nimport gc\ngc.collect()`);
  const hex = py.run(
    "import binascii;f=open('/g.out','rb');print(binascii.hexlify(f.read()).decode());f.close()",
  );
  return Buffer.from(hex.trim(), 'hex');
}

/** The host's side: the header line, then the raw bytes or the unpacked tokens. */
async function hostReads(stream: Buffer): Promise<{ packed: boolean; data: Uint8Array }> {
  assert.equal(stream[0], 1);
  const end = stream.indexOf(0x0a);
  const header = stream.subarray(1, end).toString();
  const match = /^(\d+)( z)?$/.exec(header);
  assert.ok(match, header);
  const size = Number(match[1]);
  let at = end + 1;
  if (!match[2]) return { packed: false, data: stream.subarray(at) };
  const read = async (n: number) => {
    if (at + n > stream.length) throw new Error('read past the stream');
    at += n;
    return stream.subarray(at - n, at);
  };
  const data = await unpack(read, size);
  assert.equal(at, stream.length, 'the tokens end where the board stopped writing');
  return { packed: true, data };
}

afterEach(() => {
  delete process.env.MPY_PACK_DOWNLOADS;
});

test('Python source comes back exactly, packed to under half', async () => {
  for (const size of [400, 3000, 12_000, 40_000]) {
    const data = source(size);
    const stream = boardSends(data);
    const { packed, data: back } = await hostReads(stream);
    assert.ok(packed, `${size} B was packed`);
    assert.deepEqual(Buffer.from(back), Buffer.from(data));
    // a few hundred bytes hold few repeats yet; a module of some KB packs to under half
    const most = size < 3000 ? size * 0.75 : size / 2;
    assert.ok(stream.length < most, `${size} B went as ${stream.length} B`);
  }
});

test('binary, repetitive and tiny files come back exactly', async () => {
  const runs = new Uint8Array(5000).fill(0x41); // matches that overlap what they write
  const mixed = Buffer.concat([randomBytes(700), source(900), randomBytes(700), source(900)]);
  for (const data of [new Uint8Array(randomBytes(3000)), runs, new Uint8Array(mixed)]) {
    const stream = boardSends(data);
    const { packed, data: back } = await hostReads(stream);
    assert.ok(packed);
    assert.deepEqual(Buffer.from(back), Buffer.from(data));
    // random bytes cost a token byte per 128 at most
    assert.ok(stream.length <= data.length + Math.ceil(data.length / 128) + 16);
  }
  for (const data of [new Uint8Array(0), source(399)]) {
    const { packed, data: back } = await hostReads(boardSends(data));
    assert.equal(packed, false, 'too small to pay for packing');
    assert.deepEqual(Buffer.from(back), Buffer.from(data));
  }
});

test('where packing is off (native USB, WebREPL) the file goes raw', async () => {
  const data = source(3000);
  const { packed, data: back } = await hostReads(boardSends(data, false));
  assert.equal(packed, false);
  assert.deepEqual(Buffer.from(back), Buffer.from(data));
});

test('a corrupt stream is an error, not a wrong file', async () => {
  const tokens = [
    Buffer.from([2, 0x61, 0x62, 0x63, 0x80 + 5, 0, 9]), // a distance before the start
    Buffer.from([5, 0x61]), // more literals than the size
  ];
  for (const stream of tokens) {
    let at = 0;
    const read = async (n: number) => {
      at += n;
      return stream.subarray(at - n, at);
    };
    await assert.rejects(unpack(read, 5), TransportError);
  }
});

test('the board packs downloads on UART links only, unless told', () => {
  assert.equal(packDownloads('/dev/ttyUSB0'), true);
  assert.equal(packDownloads('COM3'), true);
  assert.equal(packDownloads('/dev/ttyACM0'), false, 'native USB is faster than packing');
  assert.equal(packDownloads('/dev/cu.usbmodem1101'), false);
  assert.equal(packDownloads('ws://192.168.4.1:8266', 4096), false, 'a network link');
  process.env.MPY_PACK_DOWNLOADS = '1';
  assert.equal(packDownloads('/dev/ttyACM0'), true);
  process.env.MPY_PACK_DOWNLOADS = '0';
  assert.equal(packDownloads('/dev/ttyUSB0'), false);
});
