// src/commands/wire-count.ts: bytes written to a link, counted once per transport however many
// callers ask (watch's `… B on the wire`, the sent column of the many-boards table).
import type { Transport } from '../transport/transport.js';

/** Bytes written per transport. */
const sentBytes = new WeakMap<Transport, { count: number }>();

/** Count the bytes written to `transport` from now on (wraps its `write` once). */
export function countWrites(transport: Transport): { count: number } {
  let counter = sentBytes.get(transport);
  if (counter) return counter;
  const created = { count: 0 };
  const write = transport.write.bind(transport);
  transport.write = (data: Uint8Array) => {
    created.count += data.length;
    return write(data);
  };
  sentBytes.set(transport, created);
  counter = created;
  return counter;
}
