// test/fuse/mount-child.ts: a separate process that mounts an in-memory board on argv[2] and
// prints "mounted"; tests kill it to leave a stale mount, or signal it to see a clean unmount.
import { mountBoard } from '../../src/fuse/mount.js';
import { MemoryBoard } from './memory-board.js';

const board = new MemoryBoard();
await board.writeFile('/hello.txt', new TextEncoder().encode('hello\n'));
const mounted = await mountBoard(board, process.argv[2]!);
const stop = () => void mounted.unmount();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.stdout.write('mounted\n');
// `exit` simulates a CLI that calls process.exit while mounted (a second Ctrl-C).
if (process.argv[3] === 'exit') process.exit(3);
process.stdout.write(`${await mounted.unmounted}\n`);
