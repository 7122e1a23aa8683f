# src/board/py/dga.py: the digest of a file on boards without hashlib: "size:adler32" (the same
# as src/board/digest.ts computes on the host); shorter than dg.py for the smallest heaps.
def _dg(p):
    f = open(p, "rb")
    n = 0
    a = 1
    c = 0
    try:
        while True:
            d = f.read(256)
            if not d:
                break
            n += len(d)
            for x in d:
                a = (a + x) % 65521
                c = (c + a) % 65521
    finally:
        f.close()
    return "%d:%04x%04x" % (n, c, a)


_mpy.dg = _dg
del _dg
