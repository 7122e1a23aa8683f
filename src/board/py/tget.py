# src/board/py/tget.py: downloads for boards without binary stdout (micro:bit): k bytes a line,
# as base64 where binascii exists, else as a bytes repr (text files stay nearly their size)
# or hex when that is shorter.
def _tg(p, k):
    try:
        from binascii import b2a_base64 as e
    except ImportError:
        e = None
    f = open(p, "rb")
    try:
        while True:
            d = f.read(k)
            if not d:
                break
            if e:
                print(e(d)[:-1].decode())
            else:
                r = repr(d)
                print(r if len(r) < 2 * len(d) + 3 else "".join("%02x" % x for x in d))
    finally:
        f.close()


_mpy.tg = _tg
del _tg
