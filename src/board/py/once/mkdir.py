# src/board/py/once/mkdir.py: make one folder; an existing path is EEXIST (FAT says EACCES).
def _o(p):
    import os
    try:
        os.stat(p)
    except OSError:
        os.mkdir(p)
        return
    raise OSError(17)
