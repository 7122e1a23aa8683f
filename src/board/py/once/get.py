# src/board/py/once/get.py: get.py's framing (0x01, the size as a decimal line, the raw bytes;
# 0x00 and raise when the file cannot be opened) in one short exec on a board nothing is known
# of yet.
def _o(p):
    import sys

    o = sys.stdout.buffer
    try:
        f = open(p, "rb")
    except Exception:
        o.write(b"\x00")
        raise
    n = f.seek(0, 2)
    f.seek(0)
    o.write(b"\x01%d\n" % n)
    while n > 0:
        b = f.read(512)
        if not b:
            break
        o.write(b)
        n -= len(b)
    f.close()
