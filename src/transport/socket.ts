// src/transport/socket.ts: a Transport over TCP (`socket://host:port`), e.g. a board behind
// ser2net or `mpy sim --tcp`.
import { connect, type Socket } from 'node:net';
import { TransportError, UsageError } from '../errors.js';
import { LinkEvents } from './emitter.js';
import type { Transport } from './transport.js';

/** Host and port of `socket://host:port`; UsageError when malformed. */
export function parseSocketUrl(device: string): { host: string; port: number } {
  const match = /^socket:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(device);
  if (!match) throw new UsageError(`bad socket device ${device}: expected socket://HOST:PORT`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

/** Connect to `socket://host:port`. */
export async function openSocket(device: string): Promise<Transport> {
  const { host, port } = parseSocketUrl(device);
  const socket = connect({ host, port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ECONNREFUSED' ? 'connection refused' : error.message;
      reject(new TransportError(`cannot connect to ${device}: ${why}`, { cause: error }));
    });
  });
  return new SocketTransport(device, socket);
}

class SocketTransport implements Transport {
  private readonly events = new LinkEvents();
  private closing = false;

  constructor(
    readonly description: string,
    private readonly socket: Socket,
  ) {
    socket.on('data', (chunk) => this.events.data(chunk));
    socket.on('error', (error) => {
      this.events.close(new TransportError(`${description}: ${error.message}`, { cause: error }));
    });
    socket.on('close', () => {
      this.events.close(this.closing ? undefined : new TransportError(`${description} closed`));
    });
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.events.closed) throw new TransportError(`${this.description} is closed`);
    await new Promise<void>((resolve, reject) => {
      this.socket.write(data, (error) =>
        error
          ? reject(new TransportError(`writing to ${this.description}: ${error.message}`))
          : resolve(),
      );
    });
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    if (this.events.closed) return;
    this.closing = true;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      this.socket.destroySoon();
    });
  }
}
