// src/sim/tcp.ts: expose a virtual board on a local TCP port, for `socket://127.0.0.1:PORT`.

import { createServer, type Socket } from 'node:net';
import type { VirtualBoard } from './board.js';

/** A listening TCP front for a board. */
export interface TcpServer {
  port: number;
  /** Stop listening and drop the client. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serve `board` on 127.0.0.1:`port` (0 = any free port). One client at a time: a second one
 * is refused while the first is connected, as a serial port can only be opened once.
 */
export async function serveTcp(board: VirtualBoard, port = 0): Promise<TcpServer> {
  let client: Socket | undefined;
  const server = createServer((socket) => {
    if (client) {
      socket.destroy();
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    const transport = board.connect();
    transport.onData((data) => socket.write(data));
    transport.onClose((error) => {
      if (error) socket.destroy();
    });
    socket.on('data', (chunk) => {
      transport.write(chunk).catch(() => socket.destroy());
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (client === socket) client = undefined;
      void transport.close();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  let closed = false;
  return {
    port: bound,
    async close() {
      if (closed) return;
      closed = true;
      client?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
