# src/board/py/dirs.py: make (with parents) and remove folders. FAT words some failures as
# EACCES; they are reported as littlefs and POSIX do (EEXIST, ENOTEMPTY).
def _mkd(p, a):
    if not a:
        if _mpy.st(p):
            raise OSError(17)
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
    try:
        os.rmdir(p)
    except OSError as e:
        # FAT's answer for a folder that is not empty; other answers (EPERM for /, EINVAL for
        # a mount point) are the board's own
        if e.args[0] == 13 and s and _mpy.names(p):
            raise OSError(39)
        raise


_mpy.mkd = _mkd
_mpy.rmd = _rmd
del _mkd, _rmd
