# src/board/py/once/gz.py: a download in one short exec on a board nothing is known of yet, with
# py/get.py's framing (0x01, the size as a decimal line, the raw bytes; 0x00 and raise when the
# file cannot be opened), packed on the board where `z` asks, for a slow link (a UART at 115200
# carries 11.5 KB/s; a board's CPU packs a source file several times faster): the size line then
# ends in " z" and the bytes are tokens of a small LZ77 coder (src/board/pack.ts reads them): a
# byte c < 128 is c + 1 literal bytes following; c >= 128 repeats c - 125 bytes from a distance
# given by the next two bytes (big end first). Python source packs to about half. Only files the
# heap holds whole, with room for the table of 3-byte keys (at most 2,048 entries); others go
# raw, 512 bytes at a time.
def _o(p, z):
    import sys, gc

    o = sys.stdout.buffer
    try:
        f = open(p, "rb")
    except Exception:
        o.write(b"\x00")
        raise
    n = f.seek(0, 2)
    f.seek(0)
    if not z or n < 400 or n > 65535 or gc.mem_free() < n + 65536:
        o.write(b"\x01%d\n" % n)
        while n > 0:
            b = f.read(512)
            if not b:
                break
            o.write(b)
            n -= len(b)
        return f.close()
    b = f.read()
    f.close()
    o.write(b"\x01%d z\n" % n)
    d = {}
    r = bytearray()
    i = l = 0
    while l < n:
        j = None
        if i < n - 2:
            k = b[i] << 16 | b[i + 1] << 8 | b[i + 2]
            j = d.get(k)
            d[k] = i
            if len(d) > 2047:
                d = {}
        if j is None and i < n:
            i += 1
            continue
        while l < i:
            q = min(i - l, 128)
            r.append(q - 1)
            r += b[l : l + q]
            l += q
        if j is not None:
            m = 3
            while i + m < n and m < 130 and b[i + m] == b[j + m]:
                m += 1
            r.append(m + 125)
            r.append(i - j >> 8)
            r.append(i - j & 255)
            i += m
            l = i
        if len(r) > 255:
            o.write(r)
            r = bytearray()
    o.write(r)
