// src/sim/index.ts: the virtual MicroPython board's public API.
//
// A VirtualBoard is the MicroPython WebAssembly port in a worker thread, made to behave like a
// board on a UART: raw REPL with raw-paste (window 128, `\x01` acks), blocking sys.stdin with
// kbd_intr, Ctrl-C, soft/hard reset, boot.py/main.py, `\r\n` text output (buffer writes raw),
// Linux errno numbers, a clean `/` persisted in a host folder, 4-tuple ilistdir, statvfs and
// ENOSPC from the flash size, a `machine` module, and a paced link with a bounded receive
// buffer. The `legacy` profile adds old-firmware limits (no raw-paste, os.size instead of
// os.stat, no hashlib/binascii/deflate, no directories, small reported heap).
//
// Known differences from a real board:
// - A loop that neither prints, reads stdin nor sleeps cannot see Ctrl-C (the port has no VM
//   hook into JS): after 300 ms the board restarts like a hard reset, keeping the flash.
// - The port frees memory only between top-level runs, so a long loop that allocates grows the
//   worker's memory until it ends.
// - The legacy heap is not enforced: gc.mem_free() reports about 14 KB.
// - Raw-paste code is run by the port's raw REPL, so literal 0x01/0x02 bytes in it are passed
//   as `\x01`/`\x02` escapes: the same inside ordinary string literals, not inside raw ones.

export { type SimOptions, VirtualBoard } from './board.js';
export { defaultSimFlashDir, parseSimDevice } from './device.js';
export { type CommandPtyServer, type PtyServer, serveCommandPty, servePty } from './pty.js';
export { serveTcp, type TcpServer } from './tcp.js';
