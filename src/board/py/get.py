# src/board/py/get.py: send a file: 0x01 (0x00 and raise when it cannot be opened), its size as
# a decimal line, then exactly that many raw bytes (host side: src/board/transfer.ts).
def _get(p):
    o = sys.stdout.buffer
    try:
        f = open(p, "rb")
    except Exception:
        o.write(b"\x00")
        raise
    try:
        n = f.seek(0, 2)
        f.seek(0)
        o.write(b"\x01")
        o.write(b"%d\n" % n)
        b = bytearray(512)
        m = memoryview(b)
        while n > 0:
            k = f.readinto(b)
            if not k:
                break
            o.write(m[:k])
            n -= k
    finally:
        f.close()


_mpy.get = _get
del _get
