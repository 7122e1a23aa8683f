// test/helpers/real-boards.ts: the real MicroPython firmwares of ../shared/boards (or
// $MPY_TEST_BOARDS) started as board commands behind a pty, at 115200 baud or unthrottled, and
// why one is skipped when this machine cannot run it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CommandPtyServer, serveCommandPty } from '../../src/sim/index.js';

/** The real boards: MicroPython's qemu port, its unix port (littlefs, FAT), micro:bit v1. */
export type RealBoardName = 'qemu' | 'unix' | 'unix-fat' | 'microbit';

export const REAL_BOARDS: RealBoardName[] = ['qemu', 'unix', 'unix-fat', 'microbit'];

/** Debian's micro:bit v1 firmware (package firmware-microbit-micropython). */
export const MICROBIT_HEX = '/usr/share/firmware-microbit-micropython/firmware.hex';

/** The folder holding qemuboard.sh and unixboard.sh. */
export function boardsDir(): string {
  const fromEnv = process.env.MPY_TEST_BOARDS;
  if (fromEnv) return resolve(fromEnv);
  // dist/test/helpers/ -> the project folder -> ../shared/boards
  return resolve(new URL('../../../', import.meta.url).pathname, '../shared/boards');
}

function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

const skipReasons = new Map<RealBoardName, string | undefined>();

/** Why `name` cannot run here (a missing program or firmware), or undefined when it can. */
export function realBoardSkip(name: RealBoardName): string | undefined {
  if (skipReasons.has(name)) return skipReasons.get(name);
  const dir = boardsDir();
  let why: string | undefined;
  if (name === 'microbit') {
    if (!onPath('qemu-system-arm')) why = 'qemu-system-arm is not installed';
    else if (!readable(MICROBIT_HEX)) why = `no micro:bit firmware at ${MICROBIT_HEX}`;
  } else if (name === 'qemu') {
    if (!onPath('qemu-system-arm')) why = 'qemu-system-arm is not installed';
    else if (!existsSync(`${dir}/qemuboard.sh`)) why = `no qemuboard.sh in ${dir}`;
  } else if (!existsSync(`${dir}/unixboard.sh`) || !existsSync(`${dir}/micropython-unix`)) {
    why = `no unixboard.sh / micropython-unix in ${dir}`;
  } else if (!onPath('python3')) why = 'python3 is not installed';
  skipReasons.set(name, why);
  return why;
}

/** How to start a board: the argv of its command. `extra` goes to unixboard.sh. */
export function realBoardCommand(name: RealBoardName, extra: string[] = []): string[] {
  const dir = boardsDir();
  switch (name) {
    case 'qemu':
      return ['bash', `${dir}/qemuboard.sh`];
    case 'unix':
      return ['bash', `${dir}/unixboard.sh`, ...extra];
    case 'unix-fat':
      return ['bash', `${dir}/unixboard.sh`, '--fat', ...extra];
    case 'microbit':
      return [
        'qemu-system-arm',
        '-M',
        'microbit',
        '-device',
        `loader,file=${MICROBIT_HEX}`,
        '-display',
        'none',
        '-serial',
        'stdio',
        '-monitor',
        'none',
      ];
  }
}

/** Start `name` behind a pty; `baud` 0 = unthrottled (a native-USB board). */
export function startRealBoard(
  name: RealBoardName,
  baud: number,
  extra: string[] = [],
): Promise<CommandPtyServer> {
  // the micro:bit's UART is a real one: bytes must not reach it in bursts (see pty_relay.py)
  const fifo = name === 'microbit' ? 8 : 0;
  return serveCommandPty(realBoardCommand(name, extra), { baud, fifo });
}
