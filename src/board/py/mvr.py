# src/board/py/mvr.py: replace a file by another with os.rename (atomic on littlefs).
def _mv(t, p):
    try:
        os.rename(t, p)
        return True
    except OSError as e:
        # FAT will not rename over a file (EEXIST): move the old one aside first; a power cut
        # between the two renames leaves .NAME.mpy-old, which ok.py's clean() puts back
        if e.args[0] != 17:
            raise
    o = t[:-3] + "old"
    os.rename(p, o)
    os.rename(t, p)
    os.remove(o)
    return True


_mpy.mv = _mv
del _mv
