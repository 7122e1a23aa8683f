// test/helpers/board-kinds.ts: every board the end-to-end suites run on (the virtual board three
// ways, four real firmwares each at 115200 baud and unthrottled), what each firmware has, and
// why a kind is skipped here. The facts come from the kind, never from mpy's own probe: a test
// that asked mpy what the board can do would agree with mpy's mistakes.
import { type RealBoardName, realBoardSkip } from './real-boards.js';

/** The virtual board: in process, over a pty through the serial transport, legacy over a pty. */
export type SimKind = 'inproc' | 'pty' | 'pty-legacy';

/** A real firmware behind a pty: at 115200 baud, or `-usb`: unthrottled (a native-USB board). */
export type RealKind =
  | 'qemu'
  | 'qemu-usb'
  | 'unix'
  | 'unix-usb'
  | 'unix-fat'
  | 'unix-fat-usb'
  | 'microbit'
  | 'microbit-usb';

export type BoardKind = SimKind | RealKind;

/** What a firmware is and has, as its README and source say (not as mpy probes it). */
export interface BoardFacts {
  /** The virtual board (sim-only knobs exist: flash folder, cut after N bytes, latency). */
  sim: boolean;
  /** Which real firmware, for real kinds. */
  real?: RealBoardName;
  /** The line's pace in baud (10 bits a byte); 0 = unthrottled. */
  baud: number;
  /**
   * About how many payload bytes a second a bulk transfer moves (the line's rate when paced;
   * measured on this kind of machine when not), to size big-file cases to a few seconds.
   */
  bytesPerSecond: number;
  /** No folders: one flat filesystem (mkdir fails). */
  flat: boolean;
  rawPaste: boolean;
  osStat: boolean;
  hasRename: boolean;
  hasHashlib: boolean;
  hasBinascii: boolean;
  hasDeflate: boolean;
  /** `sys.stdin.buffer` exists, so binary uploads are possible. */
  stdinBuffer: boolean;
  /** How print() ends a line: UART ports cook `\r\n`, the unix port writes a bare `\n`. */
  newline: '\r\n' | '\n';
  /** FAT rules for names: no `"`, `\`, `*`, newlines; case-insensitive. */
  fatNames: boolean;
  /**
   * Seconds the board's own output buffers take to empty onto the line: a board printing
   * forever stops only after that (the unix wrapper holds up to 128 KB: 11-13 s measured at
   * 115200 baud, more on a loaded machine).
   */
  drainSeconds: number;
  /** About how much heap the firmware has free for the user's code. */
  heapBytes: number;
  /** About how many bytes of files fit on a fresh board. */
  flashBytes: number;
  /** Files survive the board losing power (a cut link on a real board powers it off). */
  keepsFlashOffline: boolean;
}

const modern = {
  flat: false,
  rawPaste: true,
  osStat: true,
  hasRename: true,
  hasHashlib: true,
  hasBinascii: true,
  hasDeflate: true,
  stdinBuffer: true,
  newline: '\r\n',
  fatNames: false,
} as const;

const SIM: BoardFacts = {
  ...modern,
  sim: true,
  baud: 0,
  bytesPerSecond: 300_000,
  drainSeconds: 0,
  heapBytes: 1024 * 1024,
  flashBytes: 2 * 1024 * 1024,
  keepsFlashOffline: true,
};

// micro:bit v1, MicroPython 1.9.2: no sys.stdin, dir(os) is remove/listdir/size/uname, and a
// fresh board takes 15,104 bytes of file before ENOSPC.
const microbitV1 = {
  flat: true,
  rawPaste: false,
  osStat: false,
  hasRename: false,
  hasHashlib: false,
  hasBinascii: false,
  hasDeflate: false,
  stdinBuffer: false,
  flashBytes: 15_000,
} as const;

// The legacy profile is the micro:bit v1 (src/sim/py/mpysim_legacy.py): 9 KB of heap enforced
// while code compiles, 15 KB of flat flash, no rename, no sys.stdin; its flash is a host folder.
const SIM_LEGACY: BoardFacts = {
  ...SIM,
  ...microbitV1,
  baud: 115200,
  bytesPerSecond: 11_520,
  heapBytes: 9_300,
};

// ../shared/boards/README.md: qemuboard keeps its RAM disk only while qemu runs.
const QEMU: BoardFacts = {
  ...modern,
  sim: false,
  real: 'qemu',
  baud: 115200,
  bytesPerSecond: 11_520,
  drainSeconds: 0,
  heapBytes: 256 * 1024,
  flashBytes: 1024 * 1024,
  keepsFlashOffline: false,
};

// The unix port's flash is an image file kept by the helper, so it survives a power cut.
const UNIX: BoardFacts = {
  ...modern,
  sim: false,
  real: 'unix',
  baud: 115200,
  bytesPerSecond: 11_520,
  // unixboard.sh holds up to ~128 KB of a printing program's output in its pipes (11 s at
  // 115200), and a loaded machine drains it slower: a UART board holds a few bytes
  drainSeconds: 40,
  newline: '\n',
  heapBytes: 2 * 1024 * 1024,
  flashBytes: 2 * 1024 * 1024,
  keepsFlashOffline: true,
};

// The real micro:bit v1 firmware in qemu: its flash is gone with the power.
const MICROBIT: BoardFacts = {
  ...microbitV1,
  sim: false,
  real: 'microbit',
  baud: 115200,
  bytesPerSecond: 11_520,
  drainSeconds: 0,
  newline: '\r\n',
  fatNames: false,
  heapBytes: 8_700,
  keepsFlashOffline: false,
};

const FACTS: Record<BoardKind, BoardFacts> = {
  inproc: SIM,
  pty: { ...SIM, baud: 115200, bytesPerSecond: 11_520 },
  'pty-legacy': SIM_LEGACY,
  qemu: QEMU,
  // qemu's UART model is the bottleneck unthrottled: 30 KB/s up, 300 KB/s down.
  'qemu-usb': { ...QEMU, baud: 0, bytesPerSecond: 30_000 },
  unix: UNIX,
  'unix-usb': { ...UNIX, baud: 0, bytesPerSecond: 400_000, drainSeconds: 0 },
  'unix-fat': { ...UNIX, real: 'unix-fat', fatNames: true },
  'unix-fat-usb': {
    ...UNIX,
    real: 'unix-fat',
    fatNames: true,
    baud: 0,
    bytesPerSecond: 400_000,
    drainSeconds: 0,
  },
  microbit: MICROBIT,
  // No raw-paste: mpy paces plain raw mode at the 115200 baud it opened the port with.
  'microbit-usb': { ...MICROBIT, baud: 0 },
};

export const SIM_KINDS: readonly SimKind[] = ['inproc', 'pty', 'pty-legacy'];

export const REAL_KINDS: readonly RealKind[] = [
  'qemu',
  'qemu-usb',
  'unix',
  'unix-usb',
  'unix-fat',
  'unix-fat-usb',
  'microbit',
  'microbit-usb',
];

/** The facts of `kind`. */
export function boardFacts(kind: BoardKind): BoardFacts {
  return FACTS[kind];
}

export function isSimKind(kind: BoardKind): kind is SimKind {
  return FACTS[kind].sim;
}

/**
 * MPY_TEST_KINDS (comma list of kinds, or the groups `sim`, `real`, `usb`) picks the kinds the
 * suites run; unset, all of them. A name that is neither fails the run rather than test nothing.
 */
function selectedKinds(): ReadonlySet<BoardKind> {
  const all = [...SIM_KINDS, ...REAL_KINDS];
  const wanted = process.env.MPY_TEST_KINDS?.trim();
  if (!wanted) return new Set(all);
  const groups: Record<string, readonly BoardKind[]> = {
    sim: SIM_KINDS,
    real: REAL_KINDS,
    usb: REAL_KINDS.filter((kind) => FACTS[kind].baud === 0),
  };
  const picked = new Set<BoardKind>();
  for (const name of wanted.split(',').map((s) => s.trim())) {
    const group = groups[name] ?? (name in FACTS ? [name as BoardKind] : undefined);
    if (!group) throw new Error(`MPY_TEST_KINDS: no board kind or group "${name}"`);
    for (const kind of group) picked.add(kind);
  }
  return picked;
}

const selected = selectedKinds();

/** Every selected kind, in a fixed order: the sim kinds first. */
export const BOARD_KINDS: readonly BoardKind[] = [...SIM_KINDS, ...REAL_KINDS].filter((kind) =>
  selected.has(kind),
);

/** The selected kinds whose facts pass `keep`, e.g. `kindsWhere((f) => !f.flat)`. */
export function kindsWhere(keep: (facts: BoardFacts, kind: BoardKind) => boolean): BoardKind[] {
  return BOARD_KINDS.filter((kind) => keep(FACTS[kind], kind));
}

/** Why `kind` cannot run on this machine (for `describe(..., { skip })`), or undefined. */
export function kindSkip(kind: BoardKind): string | undefined {
  const real = FACTS[kind].real;
  const why = real ? realBoardSkip(real) : undefined;
  return why ? `${kind}: ${why}` : undefined;
}

/** One line on what this run leaves out and why (run-tests.mjs prints it after the run). */
export function skipSummary(): string {
  const reasons = new Map<string, string[]>();
  for (const kind of BOARD_KINDS) {
    const real = FACTS[kind].real;
    const why = real ? realBoardSkip(real) : undefined;
    if (why) reasons.set(why, [...(reasons.get(why) ?? []), kind]);
  }
  const parts = [...reasons].map(([why, kinds]) => `${kinds.join(', ')} (${why})`);
  const unselected = [...SIM_KINDS, ...REAL_KINDS].filter((kind) => !selected.has(kind));
  if (unselected.length > 0) parts.push(`${unselected.join(', ')} (not in MPY_TEST_KINDS)`);
  return parts.length === 0
    ? `board kinds: all ${BOARD_KINDS.length} ran`
    : `board kinds skipped: ${parts.join('; ')}`;
}
