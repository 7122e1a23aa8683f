# src/board/py/dirs.py: make (with parents) and remove folders.
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


def _rmd(p):
    s = _mpy.st(p)
    if s and s[0] != "d":
        raise OSError(20)
    os.rmdir(p)


_mpy.mkd = _mkd
_mpy.rmd = _rmd
del _mkd, _rmd
