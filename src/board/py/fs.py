# src/board/py/fs.py: listing, tree walk and folder operations, added to _mpy on demand.
# Works without os.stat (micro:bit: os.size, flat filesystem).
def _ls(p):
    s = _mpy.st(p)
    if s is None:
        raise OSError(2)
    if s[0] != "d":
        raise OSError(20)
    r = []
    for n in _mpy.names(p):
        s = _mpy.st(_mpy.j(p, n))
        if s:
            r.append((n,) + s)
    return r


def _walk(p):
    # one line per file, streamed, so a big tree never sits in RAM
    for n in _mpy.names(p):
        q = _mpy.j(p, n)
        s = _mpy.st(q)
        if not s:
            continue
        if s[0] == "d":
            _mpy.walk(q)
        elif n[-8:] != ".mpy-tmp":
            print(repr((q, s[1], _mpy.dg(q))))


def _tree(p):
    s = _mpy.st(p)
    if s and s[0] == "d":
        _mpy.walk(p)
    elif s:
        print(repr((p, s[1], _mpy.dg(p))))


def _mv(a, b):
    if _mpy.st(a) is None:
        raise OSError(2)
    _mpy.mvf(a, b)


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
    s = os.statvfs(p)
    return (s[0], s[1] * s[2], s[1] * s[4])


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


_mpy.ls = _ls
_mpy.walk = _walk
_mpy.rmt = _rmt
_mpy.tree = _tree
_mpy.mv = _mv
_mpy.mkd = _mkd
_mpy.df = _df
_mpy.rm = _rm
_mpy.rmd = _rmd
del _ls, _walk, _tree, _mv, _rmt, _mkd, _df, _rm, _rmd
