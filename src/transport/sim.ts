// src/transport/sim.ts: device `sim…`: start the virtual board in-process and connect to it; the
// board stops when the link closes. Loaded lazily so real boards never load the WebAssembly.
import { UsageError } from '../errors.js';
import type { Transport } from './transport.js';

/** True for `sim`, `sim:DIR`, `sim:DIR?profile=legacy&…`. */
export function isSimDevice(device: string): boolean {
  return device === 'sim' || device.startsWith('sim:') || device.startsWith('sim?');
}

/** The virtual board, as far as the host side uses it. */
export interface SimBoard {
  connect(): Transport;
  stop(): Promise<void>;
}

/** The part of src/sim the CLI uses. */
export interface SimModule {
  parseSimDevice(device: string): object | undefined;
  VirtualBoard: { start(options?: object): Promise<SimBoard> };
  servePty(board: SimBoard): Promise<{ path: string; close(): Promise<void> }>;
  serveTcp(board: SimBoard, port?: number): Promise<{ port: number; close(): Promise<void> }>;
}

/** Load src/sim on demand. A computed specifier: the WebAssembly board is heavy to load. */
export async function loadSim(): Promise<SimModule> {
  const specifier = '../sim/index.js';
  return (await import(specifier)) as SimModule;
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
