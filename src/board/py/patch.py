# src/board/py/patch.py: rebuild a file from copy ranges of its current content (in file order,
# read forwards: some files cannot seek) and inserted bytes, into a temp file; commit only if
# the base and result digests match (used by watch). Digests may be prefixes.
def _pt(p, bd, ops, ed):
    # ops: (start, length) copy from p (length -1: to the end); bytes are inserted as they are
    if _mpy.dg(p)[:len(bd)] != bd:
        return False
    i = p.rfind("/") + 1
    t = p[:i] + "." + p[i:] + ".mpy-tmp"
    f = open(p, "rb")
    g = open(t, "wb")
    q = 0
    try:
        for o in ops:
            if type(o) is tuple:
                k = o[0] - q
                while k > 0:
                    d = f.read(min(k, 256))
                    if not d:
                        break
                    k -= len(d)
                    q += len(d)
                k = o[1]
                while k:
                    d = f.read(256 if k < 0 else min(k, 256))
                    if not d:
                        break
                    g.write(d)
                    k -= len(d) if k > 0 else 0
                    q += len(d)
            else:
                g.write(o)
    except Exception:
        f.close()
        g.close()
        os.remove(t)
        raise
    f.close()
    g.close()
    return _mpy.ok(t, p, ed)


_mpy.pt = _pt
del _pt
