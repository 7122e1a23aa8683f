# src/board/py/ls.py: a folder's entries with sizes, in one call; temporary files are hidden,
# and so is the empty stand-in of a new file whose upload was cut (mpy before 2026-12 made one).
def _ls(p):
    s = _mpy.st(p)
    if s is None:
        raise OSError(2)
    if s[0] != "d":
        raise OSError(20)
    r = []
    a = _mpy.names(p)
    for n in a:
        if not _mpy.tmp(n):
            s = _mpy.st(_mpy.j(p, n))
            if s and (s[1] or "." + n + ".mpy-new" not in a):
                r.append((n,) + s)
    return r


_mpy.ls = _ls
del _ls
