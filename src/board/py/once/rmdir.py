# src/board/py/once/rmdir.py: remove an empty folder; a file is ENOTDIR, and FAT's EACCES for a
# folder with entries is ENOTEMPTY, as dirs.py says them.
def _o(p):
    import os
    if not os.stat(p)[0] & 16384:
        raise OSError(20)
    try:
        os.rmdir(p)
    except OSError as e:
        if e.args[0] == 13 and list(os.ilistdir(p)):
            raise OSError(39)
        raise
