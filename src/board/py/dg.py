# src/board/py/dg.py: the digest of a file: sha256 hex where hashlib works (tried once, on
# load), else "size:adler32" (the same as src/board/digest.ts computes on the host).
def _dg(p):
    f = open(p, "rb")
    n = 0
    a = 1
    c = 0
    h = _mpy.H() if _mpy.H else None
    try:
        while True:
            d = f.read(256)
            if not d:
                break
            n += len(d)
            if h:
                h.update(d)
            else:
                for x in d:
                    a = (a + x) % 65521
                    c = (c + a) % 65521
    finally:
        f.close()
    if h:
        return "".join("%02x" % x for x in h.digest())
    return "%d:%04x%04x" % (n, c, a)


try:
    import hashlib

    _mpy.H = hashlib.sha256
    _mpy.H(b"").digest()
except Exception:
    _mpy.H = None
_mpy.dg = _dg
del _dg
