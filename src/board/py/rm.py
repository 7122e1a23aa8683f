# src/board/py/rm.py: remove a file, or a file or folder tree.
def _rm(p):
    s = _mpy.st(p)
    if s and s[0] == "d":
        raise OSError(21)
    os.remove(p)


def _rmt(p):
    s = _mpy.st(p)
    if s is None:
        raise OSError(2)
    if s[0] == "d":
        for n in _mpy.names(p):
            _mpy.rmt(_mpy.j(p, n))
        os.rmdir(p)
    else:
        os.remove(p)


_mpy.rm = _rm
_mpy.rmt = _rmt
del _rm, _rmt
