// test/sim/harness.ts: start a virtual board behind a pty and open it with serialport, for sim tests.

import { type SimOptions, servePty, VirtualBoard } from '../../src/sim/index.js';
import { RawClient } from './raw-client.js';
import { openSerialLink, type SerialLink } from './serial-link.js';

/** A board reached the way a user reaches a real one: a serial device. */
export interface PtyBoard {
  board: VirtualBoard;
  client: RawClient;
  path: string;
  /** Close the serial port, the pty and the board. */
  close(): Promise<void>;
}

export async function startPtyBoard(options: SimOptions = {}): Promise<PtyBoard> {
  const board = await VirtualBoard.start(options);
  const pty = await servePty(board);
  let serial: SerialLink;
  try {
    serial = await openSerialLink(pty.path);
  } catch (error) {
    await pty.close();
    await board.stop();
    throw error;
  }
  const client = new RawClient(serial);
  return {
    board,
    client,
    path: pty.path,
    async close() {
      client.dispose();
      await serial.close();
      await pty.close();
      await board.stop();
    },
  };
}
