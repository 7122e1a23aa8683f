# src/sim/py/pty_relay.py: put a board on a pseudo-terminal, as a USB-serial adapter does.
#   pty_relay.py [--baud N] [--fifo N] [-- COMMAND ARG...]
# With a COMMAND the board is that process (its stdin/stdout is the board's UART: qemu with
# -serial stdio, MicroPython's unix port); without one it is this relay's own stdin/stdout (the
# virtual board, fed by node). Prints the pty's path as the first line on stderr.
# --baud N paces both directions at N/10 bytes a second (10 bits a byte on a UART), keeping the
# buffers small, so the board blocks on a full TX line and the host's writes queue in the tty as
# on a real cable; 0 (the default) relays as fast as the host reads: a native-USB board.
# --fifo N keeps at most N bytes waiting in the board's stdin pipe: a UART's bytes never arrive
# faster than the line carries them, but bytes queued in a pipe while qemu was descheduled would
# reach the firmware in a burst at CPU speed (and overrun the micro:bit's small receive ring).
# SIGUSR1 prints "bytes HOST_TO_BOARD BOARD_TO_HOST" on stderr (the wire counters).
# The relay keeps the pty's other end open (a client closing the port does not hang it up) and
# removes the pty when the board ends or when its controller (stdin with a COMMAND) closes.
import ctypes
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import tty

args = sys.argv[1:]
baud = fifo = 0
while args[:1] in (["--baud"], ["--fifo"]):
    if args[0] == "--baud":
        baud = int(args[1])
    else:
        fifo = int(args[1])
    args = args[2:]
if args[:1] == ["--"]:
    args = args[1:]

master, slave = pty.openpty()
tty.setraw(slave)
tty.setraw(master)
os.set_blocking(master, False)
counts = [0, 0]
F_SETPIPE_SZ = 1031

def report(*_):
    os.write(2, b"bytes %d %d\n" % (counts[0], counts[1]))

signal.signal(signal.SIGUSR1, report)
child = None
if args:
    def pdeath():
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG: die with the relay
    child = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             preexec_fn=pdeath, start_new_session=True)
    board_in, board_out = child.stdin.fileno(), child.stdout.fileno()
    control = 0
    if baud:
        for fd in (board_in, board_out):
            try:
                fcntl.fcntl(fd, F_SETPIPE_SZ, 4096)  # a small UART FIFO, not 64 KB of pipe
            except OSError:
                pass
else:
    board_in, board_out, control = 1, 0, None
os.set_blocking(board_in, False)
os.write(2, (os.ttyname(slave) + "\n").encode())

# Without a COMMAND, output nobody reads is kept up to a limit, then the oldest is dropped, as
# a board drops output no host reads. With one, the board is simply not read (it blocks).
LIMIT = 65536
to_host, to_board = bytearray(), bytearray()
rate = baud / 10.0
credit = [0.0, 0.0]  # bytes each direction may still send now
burst = max(16.0, rate / 200)  # about 5 ms of the line
last = time.monotonic()


def refill():
    global last
    now = time.monotonic()
    for i in (0, 1):
        credit[i] = min(burst, credit[i] + (now - last) * rate)
    last = now


def shutdown():
    if child:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            pass
    sys.exit(0)


def queued(fd):
    # bytes written to the board's stdin pipe that it has not read yet
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def send(i, fd, pending):
    # as much of `pending` as the line's credit allows, without blocking
    n = len(pending) if not baud else min(len(pending), int(credit[i]))
    if i == 0 and fifo and child:
        n = min(n, fifo - queued(fd))
    if n <= 0:
        return
    try:
        n = os.write(fd, pending[:n])
    except BlockingIOError:
        return
    except BrokenPipeError:
        shutdown()
    del pending[:n]
    counts[i] += n
    credit[i] -= n


small = 256 if baud else 65536
while True:
    if baud:
        refill()
    readers = [master] if len(to_board) < small else []
    if child is None or len(to_host) < small:
        readers.append(board_out)
    if control is not None:
        readers.append(control)
    writers, timeout = [], None
    for i, fd, pending in ((0, board_in, to_board), (1, master, to_host)):
        if not pending:
            continue
        if i == 0 and fifo and child and queued(fd) >= fifo:
            timeout = 0.001  # a pipe has no "drained" event: look again soon
        elif not baud or credit[i] >= 1:
            writers.append(fd)
        else:
            timeout = (1 - credit[i]) / rate if timeout is None else min(timeout, (1 - credit[i]) / rate)
    try:
        ready, writable, _ = select.select(readers, writers, [], timeout)
    except InterruptedError:
        continue
    if control is not None and control in ready and not os.read(control, 4096):
        shutdown()
    if master in ready:
        try:
            to_board += os.read(master, small)
        except BlockingIOError:
            pass
    if board_out in ready:
        data = os.read(board_out, small)
        if not data:
            # The board is gone (powered off): hand over what it said, then remove the pty.
            os.set_blocking(master, True)
            os.write(master, to_host)
            time.sleep(0.05)
            shutdown()
        to_host += data
        if child is None and len(to_host) > LIMIT:
            del to_host[:len(to_host) - LIMIT]
    if baud:
        refill()
    send(0, board_in, to_board)
    send(1, master, to_host)
