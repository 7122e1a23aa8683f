# src/board/py/df.py: the size of the filesystem holding a path.
def _df(p):
    # (block size, total, free) in bytes; without os.statvfs (micro:bit) only the bytes in
    # files are known: (0, None, None, used)
    try:
        s = os.statvfs(p)
    except AttributeError:
        u = 0
        for n in _mpy.names(p):
            u += _mpy.st(n)[1]
        return (0, None, None, u)
    return (s[0], s[1] * s[2], s[1] * s[4], None)


_mpy.df = _df
del _df
