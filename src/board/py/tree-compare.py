# src/board/py/tree-compare.py: the first half of a tree upload (host side: src/board/
# tree-upload.ts): take the manifest of a whole tree, make its missing folders, and say which of
# its files the board does not hold yet. The manifest is data, never code: NUL-separated fields,
# three an entry (path, size, digest or a prefix of it; a folder has an empty size), deflated
# and base64-encoded into a bytes literal. A file where a folder goes, or the reverse, raises
# (ENOTDIR, EISDIR) before any file is touched.
def _tm(b):
    # the manifest's bytes as [(path, size or None for a folder, digest)]
    a = b.split(b"\0")
    e = []
    for i in range(0, len(a) - 2, 3):
        e.append((a[i].decode(), int(a[i + 1]) if a[i + 1] else None, a[i + 2].decode()))
    return e


def _tc(m, z, f):
    # m the manifest, z its deflate wbits, f: every file goes (cp -f). Prints one character a
    # file, in order: "1" send it, "0" the board holds it (same size and digest).
    import binascii
    import deflate
    import io

    r = ""
    for p, n, d in _mpy.tm(deflate.DeflateIO(io.BytesIO(binascii.a2b_base64(m)), deflate.RAW, z).read()):
        s = _mpy.st(p)
        if n is None:
            if s is None:
                os.mkdir(p)
            elif s[0] != "d":
                raise OSError(20)
        elif s and s[0] == "d":
            raise OSError(21)
        else:
            r += "1" if f or not s or s[1] != n or _mpy.dg(p)[:len(d)] != d else "0"
    _mpy.r(r)


_mpy.tm = _tm
_mpy.tc = _tc
del _tm, _tc
