# src/board/py/tree.py: every file below a folder with its size and digest (its first k
# characters where k is given), one line each, streamed so a big tree never sits in RAM;
# temporary files are left out, and so is the empty stand-in of a new file whose upload was cut
# (mpy before 2026-12 made one).
def _walk(p, k):
    a = _mpy.names(p)
    for n in a:
        q = _mpy.j(p, n)
        s = _mpy.st(q)
        if not s or _mpy.tmp(n) or not s[1] and "." + n + ".mpy-new" in a:
            continue
        if s[0] == "d":
            _mpy.walk(q, k)
        else:
            _mpy.r((q, s[1], _mpy.dg(q)[:k]))


def _tree(p, k=None):
    s = _mpy.st(p)
    if s and s[0] == "d":
        _mpy.walk(p, k)
    elif s:
        _mpy.r((p, s[1], _mpy.dg(p)[:k]))


_mpy.walk = _walk
_mpy.tree = _tree
del _walk, _tree
