# src/commands/py/rfs.py: a folder of the computer mounted on the board (mpremote's `mount DIR`):
# a VFS whose every call is a request to the host, which answers while it runs the commands that
# follow (src/commands/remote-folder.ts). A request is 0x18, the repr of a tuple (operation,
# arguments...) and a newline: repr escapes every control byte, so a request never ends the raw
# REPL's output (0x04) and file names are data. The answer comes on stdin, read with Ctrl-C off:
# 0x18 (what comes before it is keys typed ahead in the REPL: dropped, not read as an answer), a
# status byte (0 ok, else an errno follows as the payload), a 4-byte little-endian length, the
# payload.
import io
import os
import sys


def _mpyq(*a):
    import micropython

    sys.stdout.write("\x18" + repr(a) + "\n")
    micropython.kbd_intr(-1)
    try:
        while _mpyrd(1)[0] != 0x18:
            pass
        h = _mpyrd(5)
        d = _mpyrd(h[1] | h[2] << 8 | h[3] << 16 | h[4] << 24)
    finally:
        micropython.kbd_intr(3)
    if h[0]:
        raise OSError(int(d))
    return d


def _mpyrd(n):
    b = bytearray(n)
    m = memoryview(b)
    g = 0
    while g < n:
        r = sys.stdin.buffer.readinto(m[g:])
        if not r:
            raise OSError(5)
        g += r
    return b


class _mpyH(io.IOBase):
    # an open file of the computer's folder; t: text mode (str in and out)
    def __init__(s, f, t):
        s.f = f
        s.t = t

    def __enter__(s):
        return s

    def __exit__(s, *a):
        s.close()

    def __iter__(s):
        return s

    def __next__(s):
        x = s.readline()
        if not x:
            raise StopIteration
        return x

    def _s(s, d):
        return str(d, "utf8") if s.t else bytes(d)

    def read(s, n=-1):
        return s._s(_mpyq("r", s.f, n))

    def readline(s):
        return s._s(_mpyq("l", s.f))

    def readlines(s):
        return list(s)

    def readinto(s, b):
        d = _mpyq("r", s.f, len(b))
        b[: len(d)] = d
        return len(d)

    def write(s, b):
        return int(_mpyq("w", s.f, bytes(b, "utf8") if type(b) is str else bytes(b)))

    def flush(s):
        pass

    def close(s):
        if s.f is not None:
            _mpyq("c", s.f)
            s.f = None

    def ioctl(s, r, a):
        # stream requests of MicroPython's own readers (import): 4 is close; no others needed
        if r == 4:
            s.close()
        return 0


class _mpyV:
    # the VFS: paths arrive relative to the mount point ("/a/b"), or to the current folder
    # inside it; the host keeps them inside the computer's folder
    def __init__(s):
        s.c = "/"

    def mount(s, r, m):
        pass

    def umount(s):
        pass

    def _p(s, p):
        return p if p[:1] == "/" else (s.c if s.c[-1] == "/" else s.c + "/") + p

    def chdir(s, p):
        p = str(_mpyq("cd", s._p(p)), "utf8")
        s.c = p

    def getcwd(s):
        return s.c

    def stat(s, p):
        m, z, t = [int(x) for x in _mpyq("s", s._p(p)).split()]
        return (m, 0, 0, 0, 0, 0, z, t, t, t)

    def ilistdir(s, p):
        for e in str(_mpyq("ls", s._p(p)), "utf8").split("\x00"):
            if e:
                yield (e[1:], 0x4000 if e[0] == "d" else 0x8000, 0)

    def open(s, p, m):
        return _mpyH(int(_mpyq("o", s._p(p), m)), "b" not in m)

    def mkdir(s, p):
        _mpyq("md", s._p(p))

    def rmdir(s, p):
        _mpyq("rd", s._p(p))

    def remove(s, p):
        _mpyq("rm", s._p(p))

    def rename(s, a, b):
        _mpyq("mv", s._p(a), s._p(b))

    def statvfs(s, p):
        return (512, 512, 0, 0, 0, 0, 0, 0, 0, 255)
