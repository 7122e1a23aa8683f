# src/board/py/mvr.py: replace a file by another with os.rename (atomic on littlefs).
def _mv(t, p):
    i = t.rfind("/") + 1
    if _mpy.st(t[:i] + t[i:].upper()) is None:
        try:
            os.rename(t, p)
            return True
        except OSError as e:
            # a filesystem that will not rename over a file (EEXIST): as FAT below
            if e.args[0] != 17:
                raise
    s = _mpy.st(p)
    if s is None:
        # FAT (found out by its case-blind names) lists a folder in the order its entries were
        # made, and a rename makes the new entry before it frees the old one: a new file renamed
        # from its temp file would list after it, not where mpremote's direct write puts it. By
        # way of .NAME.mpy-new it takes the entry the temp file frees. A power cut between the
        # two renames leaves .NAME.mpy-new, verified, which ok.py's clean() renames into place.
        n = t[:-3] + "new"
        os.rename(t, n)
        os.rename(n, p)
        return True
    if s[0] == "d":
        # a folder where the file goes: never moved aside
        raise OSError(21)
    # FAT's own rename over a file (current firmware) removes the target first, and a cut
    # before its rename would leave only the temp file: move the old one aside ourselves. A
    # power cut between the two renames leaves .NAME.mpy-old, which ok.py's clean() puts back.
    o = t[:-3] + "old"
    os.rename(p, o)
    os.rename(t, p)
    os.remove(o)
    return True


_mpy.mv = _mv
del _mv
