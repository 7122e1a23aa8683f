# src/board/py/ops.py: remove and make files and folders, and the filesystem's size.
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


def _mkd(p, a):
    if not a:
        os.mkdir(p)
        return
    q = ""
    for n in p.split("/"):
        if n:
            q += "/" + n
            s = _mpy.st(q)
            if s is None:
                os.mkdir(q)
            elif s[0] != "d":
                raise OSError(20)


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


def _rm(p):
    s = _mpy.st(p)
    if s and s[0] == "d":
        raise OSError(21)
    os.remove(p)


def _rmd(p):
    s = _mpy.st(p)
    if s and s[0] != "d":
        raise OSError(20)
    os.rmdir(p)


_mpy.rmt = _rmt
_mpy.mkd = _mkd
_mpy.df = _df
_mpy.rm = _rm
_mpy.rmd = _rmd
del _rmt, _mkd, _df, _rm, _rmd
