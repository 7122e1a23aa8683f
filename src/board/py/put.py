# src/board/py/put.py: receive a file as raw bytes on stdin with an acknowledged window.
# Protocol (host side: src/board/transfer.ts): the board opens the temp file and writes 0x01
# (0x00, then raises, when it cannot); it reads one sync byte with Ctrl-C still on and answers
# 0x01, so a stdin that carries nothing is found out (the host interrupts, or the read comes
# back empty and the board raises EIO) before any payload is sent; then it writes 0x01 after every `w` stdin bytes it has taken, the host keeping at
# most 2*w bytes unacknowledged and never sending a window of 0x03 only. Ctrl-C is off while
# the payload is read (0x03 is data) and back on in `finally`.
try:
    import io

    _B = io.IOBase
except Exception:
    _B = object


class _mpyR(_B):
    # stdin limited to n bytes, taken a window at a time and acknowledged; a stream, so
    # DeflateIO can read it. A full window of nothing but Ctrl-C bytes (which the host never
    # sends) is a host that reconnected after a cut and is trying to interrupt: give up.
    def __init__(s, n, w):
        s.n = n
        s.b = bytearray(w)
        s.m = memoryview(s.b)
        s.p = 0
        s.e = 0
        s.x = False

    def sync(s, o):
        # ready; the host's sync byte read with Ctrl-C still on, and answered; then Ctrl-C off
        # for the payload. A stdin that ends at once says so before the host sends payload
        # into the REPL.
        import micropython

        o.write(b"\x01")
        if not sys.stdin.buffer.read(1):
            raise OSError(5)
        micropython.kbd_intr(-1)
        o.write(b"\x01")

    def readinto(s, b):
        if s.p == s.e:
            k = min(len(s.b), s.n)
            if k <= 0 or s.x:
                return 0
            g = 0
            while g < k:
                r = sys.stdin.buffer.readinto(s.m[g:k])
                if not r:
                    # a stdin that ends: nothing more will come
                    s.x = True
                    raise OSError(5)
                g += r
            s.n -= k
            s.p = 0
            s.e = k
            if k == len(s.b):
                if s.b == b"\x03" * k:
                    s.x = True
                    raise KeyboardInterrupt
                sys.stdout.buffer.write(b"\x01")
        k = min(len(b), s.e - s.p)
        b[:k] = s.m[s.p:s.p + k]
        s.p += k
        return k


def _put(t, p, n, w, z, d):
    # t temp name, p target, n wire bytes, w window, z deflate wbits (0: raw), d expected digest
    import micropython

    o = sys.stdout.buffer
    try:
        f = open(t, "wb")
        r = _mpyR(n, w)
        x = r
        if z:
            import deflate

            x = deflate.DeflateIO(r, deflate.RAW, z)
    except Exception:
        o.write(b"\x00")
        raise
    b = bytearray(512)
    m = memoryview(b)
    e = None
    try:
        r.sync(o)
        while True:
            try:
                k = x.readinto(b)
            except Exception as q:
                e = q
                break
            if not k:
                break
            if e is None:
                try:
                    f.write(m[:k])
                except Exception as q:
                    e = q
        # an error must not leave host bytes for the REPL to run: take all of them
        while r.readinto(b):
            pass
    except BaseException as q:
        e = q
    finally:
        micropython.kbd_intr(3)
        try:
            f.close()
        except Exception as q:
            e = e or q
    if e:
        _mpy.un(t, p)
        raise e
    _mpy.r(_mpy.ok(t, p, d))


_mpy.put = _put
del _put
