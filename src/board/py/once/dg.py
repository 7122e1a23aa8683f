# src/board/py/once/dg.py: a file's sha256 as hex (a missing file raises ENOENT). Boards without
# hashlib or binascii raise ImportError here and get the full helper (its checksum) instead.
def _o(p):
    import hashlib, binascii

    h = hashlib.sha256()
    with open(p, "rb") as f:
        while True:
            b = f.read(256)
            if not b:
                break
            h.update(b)
    print(repr(binascii.hexlify(h.digest()).decode()))
