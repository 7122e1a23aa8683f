# src/board/py/ls.py: a folder's entries with sizes, in one call; temporary files are hidden.
def _ls(p):
    s = _mpy.st(p)
    if s is None:
        raise OSError(2)
    if s[0] != "d":
        raise OSError(20)
    r = []
    for n in _mpy.names(p):
        if not _mpy.tmp(n):
            s = _mpy.st(_mpy.j(p, n))
            if s:
                r.append((n,) + s)
    return r


_mpy.ls = _ls
del _ls
