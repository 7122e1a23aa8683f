# src/board/py/tget.py: downloads for boards without binary stdout (micro:bit): the size as the
# first line (for progress), then k bytes a line, as base64 where binascii exists, else as a
# bytes repr when most bytes are printable (text files stay nearly their size) or as hex,
# built in place: small heaps have no room for a repr or a join of a binary line.
def _tg(p, k):
    try:
        from binascii import b2a_base64 as e
    except ImportError:
        e = None
    f = open(p, "rb")
    try:
        print(_mpy.st(p)[1])
        while True:
            d = f.read(k)
            if not d:
                break
            if e:
                print(e(d)[:-1].decode())
                continue
            n = 0
            for x in d:
                if x < 32 or x > 126:
                    n += 1
            if n * 3 < len(d):
                print(repr(d))
                continue
            h = bytearray(2 * len(d))
            for i in range(len(d)):
                h[2 * i] = b"0123456789abcdef"[d[i] >> 4]
                h[2 * i + 1] = b"0123456789abcdef"[d[i] & 15]
            print(str(h, "ascii"))
    finally:
        f.close()


_mpy.tg = _tg
del _tg
