// src/transport/transport.ts: the byte pipe every link (serial, TCP, in-process sim) provides.

import type { FileProtocol } from './webrepl-files.js';

/**
 * A bidirectional byte link to a board. Implementations: serial (serialport), socket
 * (`socket://host:port`) and the in-process virtual board. Nothing above this layer knows which.
 */
export interface Transport {
  /** What the link is, for messages: `/dev/ttyACM0`, `socket://127.0.0.1:2217`, `sim`. */
  readonly description: string;
  /**
   * Bytes the link itself carries to the board without loss however slowly the board reads them
   * (a network socket's flow control, as on WebREPL). Unset for a UART, whose receive buffer
   * drops what does not fit: only the board's own acknowledgements keep bytes safe there.
   */
  readonly bufferedBytes?: number;
  /**
   * Bytes the link sent to the board as it opened, before anyone wrote (WebREPL: the raw-REPL
   * entry right after the password, saving a round trip). Unset: nothing was sent.
   */
  readonly sentAtOpen?: Uint8Array;
  /**
   * Send bytes. Resolves once the bytes are handed to the link (drained), rejects with
   * `TransportError` if the link is closed or fails.
   */
  write(data: Uint8Array): Promise<void>;
  /** Subscribe to bytes from the board, in order. Returns a function that unsubscribes. */
  onData(listener: (data: Uint8Array) => void): () => void;
  /**
   * Called once when the link ends: `error` is set when it ended by itself (unplugged, cut),
   * unset when `close()` ended it. Returns a function that unsubscribes.
   */
  onClose(listener: (error?: Error) => void): () => void;
  /**
   * Links that a board closes when it soft-reboots (WebREPL) log in again by themselves; the
   * listener is called once the link is back. What the board printed meanwhile (its banner) is
   * lost, so the listener asks again. Unset: the link survives a reboot (a cable).
   */
  onReconnect?(listener: () => void): () => void;
  /** WebREPL links: the board's own file protocol (`WA` frames); see ./webrepl-files.ts. */
  readonly files?: FileProtocol;
  /** Close the link. Idempotent. */
  close(): Promise<void>;
}
