// src/sim/pty.ts: put a board on a pseudo-terminal, so serial tools open it like a cable: the
// virtual board, or a real firmware run as a command (qemu, MicroPython's unix port) whose
// stdin/stdout is its UART. The relay itself is py/pty_relay.py (needs python3).
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { layerAsset } from '../assets.js';
import { TransportError } from '../errors.js';
import type { VirtualBoard } from './board.js';

/** An open pty in front of a board. */
export interface PtyServer {
  /** The device path a serial client opens, e.g. /dev/pts/7. */
  path: string;
  /** Stop relaying and remove the pty (and end a board command). Idempotent. */
  close(): Promise<void>;
  /** Resolves once the pty is gone (closed, the link was cut, the board command ended). */
  closed: Promise<void>;
}

/** A board command behind a pty, with the relay's wire counters. */
export interface CommandPtyServer extends PtyServer {
  /** Bytes the relay has passed each way since it started. */
  counters(): Promise<{ hostToBoard: number; boardToHost: number }>;
}

type Relay = ChildProcessByStdio<Writable, Readable, Readable>;

function relayScript(): string {
  return layerAsset(import.meta.url, 'sim', 'pty_relay.py').pathname;
}

/** Start the relay; resolves with it and the pty path it printed. */
async function startRelay(args: string[]): Promise<{ relay: Relay; path: string }> {
  const relay: Relay = spawn('python3', [relayScript(), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const path = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline !== -1) {
        relay.stderr.off('data', onData);
        resolve(text.slice(0, newline));
      }
    };
    relay.stderr.on('data', onData);
    relay.once('error', (error) =>
      reject(new TransportError(`cannot start the pty relay (python3): ${error.message}`)),
    );
    relay.once('exit', (code) =>
      reject(new TransportError(`pty relay exited (${code}): ${text.trim()}`)),
    );
  });
  relay.stdin.on('error', () => {
    // The relay is gone; close() reports nothing more useful.
  });
  return { relay, path };
}

function stopper(relay: Relay, before?: () => Promise<void>) {
  const exited = new Promise<void>((resolve) => {
    if (relay.exitCode !== null || relay.signalCode !== null) resolve();
    else relay.once('exit', () => resolve());
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await before?.();
    relay.stdin.end();
    relay.kill();
    await exited;
  };
  return { close, exited };
}

/**
 * Serve `board` on a new pty. The board's link is held open for as long as the pty exists;
 * cutting the link removes the pty, like unplugging a USB serial adapter.
 */
export async function servePty(board: VirtualBoard): Promise<PtyServer> {
  const { relay, path } = await startRelay([]);
  const transport = board.connect();
  const { close, exited } = stopper(relay, () => transport.close());
  let open = true;
  void exited.then(() => {
    open = false;
  });
  transport.onData((data) => {
    if (open) relay.stdin.write(data);
  });
  transport.onClose((error) => {
    if (error) void close();
  });
  relay.stdout.on('data', (chunk: Buffer) => {
    transport.write(chunk).catch(() => {
      // The link was cut; onClose removes the pty.
    });
  });
  return { path, close, closed: exited };
}

/**
 * Run `command` (argv) as a board whose UART is its stdin/stdout, behind a new pty; `baud`
 * paces both directions as a UART at that speed would (0: as fast as the host reads); `fifo`
 * caps the bytes waiting in the board's stdin (see py/pty_relay.py).
 * The command ends with the pty (it is killed when the relay or this process goes).
 */
export async function serveCommandPty(
  command: string[],
  options: { baud?: number; fifo?: number } = {},
): Promise<CommandPtyServer> {
  const { baud = 0, fifo = 0 } = options;
  const { relay, path } = await startRelay([
    '--baud',
    `${baud}`,
    '--fifo',
    `${fifo}`,
    '--',
    ...command,
  ]);
  const { close, exited } = stopper(relay);
  relay.stdout.resume();
  let pending: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let text = '';
  relay.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n')) {
      const line = text.slice(0, newline);
      text = text.slice(newline + 1);
      if (line.startsWith('bytes ')) pending.shift()?.resolve(line);
    }
  });
  const counters = async () => {
    const line = await new Promise<string>((resolve, reject) => {
      if (relay.exitCode !== null || relay.signalCode !== null) {
        reject(new TransportError('the board relay has ended'));
        return;
      }
      pending.push({ resolve, reject });
      relay.kill('SIGUSR1');
    });
    const [, toBoard, toHost] = line.split(' ');
    return { hostToBoard: Number(toBoard), boardToHost: Number(toHost) };
  };
  void exited.then(() => {
    for (const waiting of pending) waiting.reject(new TransportError('the board relay has ended'));
    pending = [];
  });
  return { path, close, closed: exited, counters };
}
