# src/board/py/mvc.py: replace a file by another on boards without os.rename (micro:bit v1):
# copy the content over, then remove the source. Not atomic: a power cut while copying leaves
# the target cut short (the verified temp file is still there until the next write).
def _mv(t, p):
    f = open(t, "rb")
    g = open(p, "wb")
    try:
        while True:
            b = f.read(256)
            if not b:
                break
            g.write(b)
    finally:
        f.close()
        g.close()
    os.remove(t)
    return 2


_mpy.mv = _mv
del _mv
