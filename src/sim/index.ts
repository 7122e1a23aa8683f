// src/sim/index.ts: the virtual MicroPython board's public API.

export { type SimOptions, VirtualBoard } from './board.js';
export { defaultSimFlashDir, parseSimDevice } from './device.js';
export { type PtyServer, servePty } from './pty.js';
export { serveTcp, type TcpServer } from './tcp.js';
