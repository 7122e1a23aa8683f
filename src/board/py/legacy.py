# src/board/py/legacy.py: stat for old firmware without os.stat (micro:bit: os.size and a flat
# filesystem), loaded with the core helper only on such boards.
def _lst(p):
    if p in ("", "/"):
        return ("d", 0, None)
    try:
        return ("f", os.size(p), None)
    except OSError:
        pass
    try:
        os.listdir(p)
        return ("d", 0, None)
    except Exception:
        return None


_mpy.lst = _lst
del _lst
