// src/repl/terminal.ts: relay the board's friendly REPL to the user until they leave.
import { TransportError } from '../errors.js';
import type { ByteReader } from '../transport/reader.js';
import type { Transport } from '../transport/transport.js';
import type { OutputServer, Terminal } from './types.js';

/** Relay bytes between the user and a board that is in its friendly REPL. `release` hands the
 * session back when the terminal closes. */
export function openTerminal(
  reader: ByteReader,
  transport: Transport,
  release: () => void,
  server?: OutputServer,
): Terminal {
  const stop = new AbortController();
  let listener: ((data: Uint8Array) => void) | undefined;
  let markLost: (error: Error) => void = () => {};
  const lost = new Promise<Error>((resolve) => {
    markLost = resolve;
  });
  // Started by the first listener, so bytes that arrive before it stay buffered.
  const pump = async () => {
    while (!stop.signal.aborted) {
      try {
        const data = await reader.readSome(Number.POSITIVE_INFINITY, stop.signal);
        const shown = server ? server.feed(data, (answer) => transport.write(answer)) : data;
        if (shown.length > 0) listener?.(shown);
      } catch (error) {
        if (!stop.signal.aborted) {
          markLost(error instanceof Error ? error : new TransportError(String(error)));
        }
        return;
      }
    }
  };
  return {
    write: (data) => transport.write(data),
    onData: (next) => {
      if (!listener) void pump();
      listener = next;
    },
    lost,
    close: async () => {
      if (stop.signal.aborted) return;
      stop.abort();
      release();
    },
  };
}
