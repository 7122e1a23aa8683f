# src/board/py/put.py: receive a file as raw bytes on stdin with an acknowledged window.
# Protocol (host side: src/board/transfer.ts): the board opens the temp file and writes 0x01
# (0x00, then raises, when it cannot), then writes 0x01 after every `w` stdin bytes it has
# taken; the host keeps at most 2*w bytes unacknowledged.
# Ctrl-C is off while reading (0x03 is data) and back on in `finally`.
try:
    import io

    _B = io.IOBase
except Exception:
    _B = object


class _mpyR(_B):
    # stdin limited to n bytes, acknowledging each window; a stream, so DeflateIO can read it
    def __init__(s, n, w):
        s.n = n
        s.w = w
        s.c = 0
        s.i = sys.stdin.buffer
        s.o = sys.stdout.buffer

    def readinto(s, b):
        k = min(len(b), s.n, s.w - s.c)
        if k <= 0:
            return 0
        m = memoryview(b)
        g = 0
        while g < k:
            g += s.i.readinto(m[g:k])
        s.n -= k
        s.c += k
        if s.c == s.w:
            s.c = 0
            s.o.write(b"\x01")
        return k


def _put(t, p, n, w, z, d):
    # t temp name, p target, n wire bytes, w window, z deflate wbits (0: raw), d expected digest
    import micropython

    try:
        f = open(t, "wb")
        r = _mpyR(n, w)
        x = r
        if z:
            import deflate

            x = deflate.DeflateIO(r, deflate.RAW, z)
    except Exception:
        sys.stdout.buffer.write(b"\x00")
        raise
    b = bytearray(512)
    m = memoryview(b)
    e = None
    micropython.kbd_intr(-1)
    try:
        r.o.write(b"\x01")
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
    finally:
        micropython.kbd_intr(3)
        try:
            f.close()
        except Exception as q:
            e = e or q
    if e:
        os.remove(t)
        raise e
    _mpy.r(_mpy.ok(t, p, d))


_mpy.put = _put
del _put
