# src/board/py/ok.py: commit a verified temporary file over its target, and sweep what cut
# transfers left in that folder. `_mpy.mv` comes from mvr.py (boards with os.rename) or mvc.py
# (without).
def _ok(t, p, d):
    # t temp, p target, d the host's digest of the content (or a prefix of it). Returns True
    # (committed), 2 (committed by copying: no os.rename), or the board's digest when it differs
    # (the temp file is removed, p is untouched).
    h = _mpy.dg(t)
    if h[:len(d)] != d:
        os.remove(t)
        return h
    try:
        r = _mpy.mv(t, p)
    except OSError:
        try:
            os.remove(t)
        except OSError:
            pass
        raise
    i = p.rfind("/")
    _mpy.clean(p[:i] if i > 0 else p[:i + 1])
    return r


def _clean(d):
    for n in _mpy.names(d):
        if _mpy.tmp(n):
            q = _mpy.j(d, n)
            o = _mpy.j(d, n[1:-8])
            try:
                if n[-3:] == "old" and _mpy.st(o) is None:
                    os.rename(q, o)
                else:
                    os.remove(q)
            except Exception:
                pass


_mpy.ok = _ok
_mpy.clean = _clean
del _ok, _clean
