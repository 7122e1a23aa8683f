# src/board/py/mvr.py: replace a file by another with os.rename (atomic on littlefs), and
# open the temporary file of an upload.
def _op(t, p):
    # FAT lists a folder in the order its entries were made, and a rename makes the new entry
    # before it frees the old one: a new file committed from a temp file would list after the
    # names made later in the temp's place, not where mpremote's direct write puts it. So on
    # FAT (found out by its case-blind names) a new target is first made empty, where a direct
    # write makes it; its temp is then .NAME.mpy-new, which ok.py commits over it, or removes
    # with it (clean(), un()) when the upload does not finish.
    f = open(t, "wb")
    i = t.rfind("/") + 1
    if _mpy.st(p) is None and _mpy.st(t[:i] + t[i:].upper()) is not None:
        f.close()
        os.remove(t)
        open(p, "wb").close()
        t = t[:-3] + "new"
        f = open(t, "wb")
    return f, t


def _mv(t, p):
    if t[-3:] == "new":
        # p is the empty stand-in holding its place (_op): the new entry takes the slot it frees
        os.remove(p)
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
_mpy.op = _op
del _mv, _op
