import { SerialPort } from 'serialport';
import { serveCommandPty } from '/work/main/dist/src/sim/pty.js';
const pty = await serveCommandPty(['bash', '/work/shared/boards/unixboard.sh'], { baud: 0 });
const mode = process.argv[2];
let fails = 0;
for (let i = 0; i < 300; i++) {
  const port = new SerialPort({ path: pty.path, baudRate: 115200, autoOpen: false });
  const err = await new Promise(r => port.open(r));
  if (err) { fails++; console.log(i, err.message); await new Promise(r=>setTimeout(r,100)); continue; }
  if (mode !== 'noread') port.on('data', () => {});
  const w = (s) => new Promise(r => { port.write(s); port.drain(r); });
  await w('\x03\x01'); await new Promise(r => setTimeout(r, 5));
  await w('print(1)\x04'); await new Promise(r => setTimeout(r, 3));
  await w('\x02');
  await new Promise(r => port.close(r));
}
console.log('fails', fails);
await pty.close();
