// src/transport/exec.ts: device `exec:COMMAND`: a board that is a program whose stdin/stdout is
// its UART (qemu with `-serial stdio`, MicroPython's unix port), started by `sh -c` and ended
// with the link.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { TransportError, UsageError } from '../errors.js';
import { LinkEvents } from './emitter.js';
import type { Transport } from './transport.js';

/** Start the command of `exec:COMMAND` and connect to its stdin/stdout. */
export async function openExec(device: string): Promise<Transport> {
  const command = device.slice('exec:'.length).trim();
  if (!command) throw new UsageError('exec: needs a command, e.g. -d "exec:qemu-system-arm …"');
  const child = spawn('sh', ['-c', command], {
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(new TransportError(`cannot start ${command}: ${error.message}`, { cause: error })),
    );
  });
  return new ExecTransport(device, child);
}

class ExecTransport implements Transport {
  private readonly events = new LinkEvents();
  private closing = false;
  private readonly exited: Promise<void>;

  constructor(
    readonly description: string,
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.events.data(chunk));
    child.stdin.on('error', () => {
      // The program is gone; its exit below ends the link.
    });
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        const how = signal ? `was killed (${signal})` : `exited (${code})`;
        this.events.close(
          this.closing ? undefined : new TransportError(`${description}: the board program ${how}`),
        );
        resolve();
      });
    });
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.events.closed) throw new TransportError(`${this.description} is closed`);
    await new Promise<void>((resolve, reject) => {
      this.child.stdin.write(data, (error) =>
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
    this.child.stdin.end();
    try {
      // The whole process group: sh and the board it started. A board is powered off, not
      // asked to quit (qemu would print a line about the signal).
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.exited;
  }
}
