import { openSerial } from '/work/main/dist/src/transport/serial.js';
import { serveCommandPty } from '/work/main/dist/src/sim/pty.js';
const pty = await serveCommandPty(['bash', '/work/shared/boards/unixboard.sh'], { baud: 0 });
let fails = 0;
for (let i = 0; i < 300; i++) {
  let t;
  try { t = await openSerial(pty.path); } catch (e) { fails++; console.log(i, e.message); await new Promise(r=>setTimeout(r,100)); continue; }
  t.onData(() => {});
  await t.write(Buffer.from('\x03\x01'));
  await new Promise(r => setTimeout(r, 5));
  await t.write(Buffer.from('print(1)\x04'));
  await new Promise(r => setTimeout(r, 3));
  await t.write(Buffer.from('\x02'));
  await t.close();
}
console.log('fails', fails);
await pty.close();
