# src/board/py/patch.py: rebuild a file from copy ranges of its current content and inserted
# bytes, into a temp file; commit only if the base and result digests match (used by watch).
def _patch(p, t, bd, ops, ed):
    # ops: (start, length) tuples copy from p; bytes are inserted as they are
    if _mpy.dg(p) != bd:
        return False
    f = open(p, "rb")
    g = open(t, "wb")
    try:
        for o in ops:
            if type(o) is tuple:
                f.seek(o[0])
                k = o[1]
                while k > 0:
                    d = f.read(min(k, 512))
                    if not d:
                        break
                    g.write(d)
                    k -= len(d)
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


_mpy.patch = _patch
del _patch
