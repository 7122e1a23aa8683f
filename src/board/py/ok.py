# src/board/py/ok.py: commit a verified temporary file over its target, and sweep what cut
# transfers left in that folder. `_mpy.mv` comes from mvr.py (boards with os.rename) or mvc.py
# (without).
def _ok(t, p, d):
    # t temp, p target, d the host's digest of the content (or a prefix of it). Returns True
    # (committed), 2 (committed by copying: no os.rename), or the board's digest when it differs
    # (the temp file is removed, p is untouched).
    h = _mpy.dg(t)
    if h[:len(d)] != d:
        _mpy.un(t, p)
        return h
    try:
        r = _mpy.mv(t, p)
    except OSError:
        try:
            _mpy.un(t, p)
        except OSError:
            pass
        raise
    i = p.rfind("/")
    _mpy.clean(p[:i] if i > 0 else p[:i + 1], p)
    return r


def _un(t, p):
    # an upload that did not finish: its temp file goes
    os.remove(t)


def _clean(d, p=None):
    # What a cut left in folder d: a replace cut between its renames (mvr.py) is finished or
    # rolled back: .NAME.mpy-old (the old file moved aside) and .NAME.mpy-new (the verified
    # new one) are renamed to NAME when NAME is missing; temp files go. mpy before 2026-12
    # wrote a new file into .NAME.mpy-new beside an empty NAME holding its place: a cut left
    # both, and both go (p: the file just committed, which must not go with them).
    for n in _mpy.names(d):
        if _mpy.tmp(n):
            q = _mpy.j(d, n)
            o = _mpy.j(d, n[1:-8])
            try:
                s = _mpy.st(o)
                # the short ..mpy-old of a 247-255 byte name cannot say whose it was: it goes
                if n[-3:] != "tmp" and s is None and n[1:-8]:
                    os.rename(q, o)
                else:
                    os.remove(q)
                    if n[-3:] == "new" and s and not s[1] and o != p:
                        os.remove(o)
            except Exception:
                pass


_mpy.ok = _ok
_mpy.un = _un
_mpy.clean = _clean
del _ok, _un, _clean
