# src/board/py/once/rm.py: remove a file (a folder is EISDIR, as rm.py says it).
def _o(p):
    import os
    if os.stat(p)[0] & 16384:
        raise OSError(21)
    os.remove(p)
