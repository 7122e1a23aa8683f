// src/sim/pty.ts: expose a virtual board as a pseudo-terminal, so serial tools can open it.

import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { TransportError } from '../errors.js';
import type { VirtualBoard } from './board.js';

/**
 * The relay owns the pty pair: it keeps the slave open (so a client closing the port does not
 * hang up the master), makes it raw, prints its path on stderr, and copies master <-> stdio.
 */
const RELAY_PY = `
import os, pty, select, sys, tty
master, slave = pty.openpty()
tty.setraw(slave)
tty.setraw(master)
# Writes to the master must never block the relay: output nobody reads is kept up to a
# limit, then the oldest is dropped, as a board drops output no host is reading.
os.set_blocking(master, False)
LIMIT = 65536
pending = bytearray()
sys.stderr.write(os.ttyname(slave) + "\\n")
sys.stderr.flush()
while True:
    ready, writable, _ = select.select([master, 0], [master] if pending else [], [])
    if master in ready:
        data = os.read(master, 65536)
        view = memoryview(data)
        while view:
            view = view[os.write(1, view):]
    if 0 in ready:
        data = os.read(0, 65536)
        if not data:
            break
        pending += data
        if len(pending) > LIMIT:
            del pending[:len(pending) - LIMIT]
    if pending:
        try:
            del pending[:os.write(master, pending)]
        except BlockingIOError:
            pass
`;

/** An open pty in front of a board. */
export interface PtyServer {
  /** The device path a serial client opens, e.g. /dev/pts/7. */
  path: string;
  /** Stop relaying and remove the pty. Idempotent. */
  close(): Promise<void>;
  /** Resolves once the pty is gone (closed, or the board's link was cut). */
  closed: Promise<void>;
}

/**
 * Serve `board` on a new pty (needs python3). The board's link is held open for as long as
 * the pty exists; cutting the link removes the pty, like unplugging a USB serial adapter.
 */
export async function servePty(board: VirtualBoard): Promise<PtyServer> {
  const relay: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    'python3',
    ['-c', RELAY_PY],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => relay.once('exit', () => resolve()));
  const path = await new Promise<string>((resolve, reject) => {
    let text = '';
    relay.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline !== -1) resolve(text.slice(0, newline));
    });
    relay.once('error', (error) =>
      reject(new TransportError(`sim: cannot start the pty relay (python3): ${error.message}`)),
    );
    relay.once('exit', (code) =>
      reject(new TransportError(`sim: pty relay exited (${code}): ${text.trim()}`)),
    );
  });

  const transport = board.connect();
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await transport.close();
    relay.stdin.end();
    relay.kill();
    await exited;
  };
  transport.onData((data) => {
    if (!closed) relay.stdin.write(data);
  });
  transport.onClose((error) => {
    if (error) void close();
  });
  relay.stdout.on('data', (chunk: Buffer) => {
    transport.write(chunk).catch(() => {
      // The link was cut; onClose removes the pty.
    });
  });
  relay.stdin.on('error', () => {
    // The relay is gone; close() reports nothing more useful.
  });
  return { path, close, closed: exited };
}
