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
  // The previous client's link, closing: a tool that reconnects at once (the next `mpy`
  // command) waits for it instead of being refused by a connection that is already over.
  let previous: Promise<void> = Promise.resolve();
  const server = createServer((socket) => {
    const busy = client;
    if (busy) {
      // The previous client may have closed its end without our side having seen the FIN yet
      // (the next `mpy` command connects at once): give it a moment before refusing.
      const timer = setTimeout(() => socket.destroy(), 1000);
      busy.once('close', () => {
        clearTimeout(timer);
        if (!socket.destroyed) server.emit('connection', socket);
      });
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    socket.pause();
    let closing: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      closing = resolve;
    });
    const link = previous.then(() => {
      const transport = board.connect();
      transport.onData((data) => socket.write(data));
      transport.onClose((error) => {
        if (error) socket.destroy();
      });
      socket.resume();
      return transport;
    });
    previous = closed;
    const release = () => {
      if (client === socket) client = undefined;
      link
        .then((transport) => transport.close())
        .catch(() => undefined)
        .finally(closing);
    };
    link.catch(() => socket.destroy());
    socket.on('data', (chunk) => {
      link.then((transport) => transport.write(chunk)).catch(() => socket.destroy());
    });
    socket.on('end', release);
    socket.on('error', () => socket.destroy());
    socket.on('close', release);
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
