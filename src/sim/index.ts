// src/sim/index.ts: the virtual MicroPython board's public API.
//
// A VirtualBoard is the MicroPython WebAssembly port in a worker thread, made to behave like a
// board on a UART: raw REPL with raw-paste (window 128, `\x01` acks), blocking sys.stdin with
// kbd_intr, Ctrl-C, soft/hard reset, boot.py/main.py, `\r\n` text output (buffer writes raw),
// Linux errno numbers, a clean `/` persisted in a host folder, 4-tuple ilistdir, statvfs and
// ENOSPC from the flash size, a `machine` module, and a paced link with a bounded receive
// buffer. The `legacy` profile is the BBC micro:bit v1 firmware (MicroPython 1.9.2) as measured
// on the real one: no raw-paste; exactly its `sys`, `os`, `gc`, `micropython`, `time` names and
// `help('modules')`; files as TextIO/BytesIO with its methods and modes; its flat file system
// (120 chunks of 128 bytes, a `/` kept in names, a file that hits ENOSPC is removed); its error
// words (`OSError: file not found`, `OSError: 28`, `OSError: 9`); and its heap: about 9.5 KB
// free after boot, code that does not compile in that raises MemoryError, a raw REPL line the
// heap cannot hold hangs the board until reset.
//
// Known differences from a real board:
// - A loop that neither prints, reads stdin nor sleeps cannot see Ctrl-C (the port has no VM
//   hook into JS): after 300 ms the board restarts like a hard reset, keeping the flash.
// - The port frees memory only between top-level runs, so a long loop that allocates grows the
//   worker's memory until it ends.
// - Raw-paste code is run by the port's raw REPL, so literal 0x01/0x02 bytes in it are passed
//   as `\x01`/`\x02` escapes: the same inside ordinary string literals, not inside raw ones.
// Known differences of the legacy profile from the micro:bit:
// - The heap is the micro:bit's only while raw REPL code is compiled (and for gc.mem_free()):
//   running code may grow it (the port cannot collect garbage mid-run), so a run that keeps
//   more than ~9 KB alive, or one 5 KB object, works here and raises MemoryError there; so do
//   boot.py/main.py and friendly-REPL lines of any size. Compile limits differ somewhat (1.27's
//   compiler): a 2.0-2.7 KB bytes literal compiles here but not there; 250-400 one-line
//   statements (1-1.6 KB) fail here a little earlier than there.
// - Built-in types have 1.27's methods: str.encode/center/partition/rpartition/splitlines,
//   bytes.decode/hex/fromhex, bytearray's str-like methods; the firmware has none of them.
//   dir(builtins) lists 1.27's names; compile, complex, delattr, execfile, memoryview and
//   property exist but raise NameError when called.
// - Messages from the C core are 1.27's ("name 'x' isn't defined", "'TextIO' object isn't
//   iterable"); the firmware says "is not".
// - Freed chunks are reused at once (the firmware sweeps only 8 or more freed chunks), no
//   machine.mem8/16/32 or time_pulse_us, no microbit, radio, music, neopixel, speech, audio.

export { type SimOptions, VirtualBoard } from './board.js';
export { defaultSimFlashDir, parseSimDevice } from './device.js';
export { type CommandPtyServer, type PtyServer, serveCommandPty, servePty } from './pty.js';
export { serveTcp, type TcpServer } from './tcp.js';
export { serveWebrepl, type WebreplOptions, type WebreplServer } from './webrepl.js';
