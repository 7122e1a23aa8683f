// src/transport/sim.ts: device `sim…`: start the virtual board in-process and connect to it; the
// board stops when the link closes. The sim is imported on first use, so a session with a real
// board never loads the WebAssembly port.
import { UsageError } from '../errors.js';
import type { Transport } from './transport.js';

/** The sim module, loaded on demand. */
export async function loadSim(): Promise<typeof import('../sim/index.js')> {
  return import('../sim/index.js');
}

/** Start a virtual board for `device` and return the host end of its link. */
export async function openSim(device: string): Promise<Transport> {
  const sim = await loadSim();
  const options = sim.parseSimDevice(device);
  if (!options) throw new UsageError(`bad virtual board device ${device}`);
  const board = await sim.VirtualBoard.start(options);
  const link = board.connect();
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= board.stop();
    return stopped;
  };
  link.onClose(() => void stop());
  return {
    description: link.description,
    write: (data) => link.write(data),
    onData: (listener) => link.onData(listener),
    onClose: (listener) => link.onClose(listener),
    close: async () => {
      await link.close();
      await stop();
    },
  };
}
