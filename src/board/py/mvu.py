# src/board/py/mvu.py: the user's rename (mv); on boards without os.rename, a copy (mvc.py).
def _mvu(a, b):
    # the user's rename (mv): on boards without os.rename, a copy
    if _mpy.st(a) is None:
        raise OSError(2)
    _mpy.mv(a, b)


_mpy.mvu = _mvu
del _mvu
