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


def _te(o):
    # the entries of folder o as {name: (type, inode, size)}; {} for a folder just made
    e = {}
    for x in os.ilistdir(o) if o else os.ilistdir():
        e[x[0]] = x[1:]
    return e


def _tc(m, z, f):
    # m the manifest, z its deflate wbits, f: every file goes (cp -f). Prints one character a
    # file, in order: "1" send it, "0" the board holds it (same size and digest). A folder is
    # listed once (os.ilistdir) instead of a stat a file: each path lookup costs ~1 ms on a
    # Cortex-M's littlefs.
    import binascii
    import deflate
    import io

    r = ""
    L = {}
    for p, n, d in _mpy.tm(deflate.DeflateIO(io.BytesIO(binascii.a2b_base64(m)), deflate.RAW, z).read()):
        if n is None:
            s = _mpy.st(p)
            if s is None:
                os.mkdir(p)
            elif s[0] != "d":
                raise OSError(20)
            continue
        i = p.rfind("/")
        o = p[:i] if i > 0 else p[:i + 1]
        if o not in L:
            L[o] = _mpy.te(o)
        e = L[o]
        k = p[i + 1:]
        x = e.get(k)
        if x and x[0] & 0x4000:
            raise OSError(21)
        # sizes where the listing has none (3-tuples); the empty stand-in of a new file whose
        # upload was cut (mpy before 2026-12 made one) is no file yet
        s = x and (x[2] if len(x) > 2 else _mpy.st(p)[1])
        y = f or not x or s != n or "." + k + ".mpy-new" in e or _mpy.dg(p)[:len(d)] != d
        r += "1" if y else "0"
    _mpy.r(r)


_mpy.tm = _tm
_mpy.te = _te
_mpy.tc = _tc
del _tm, _te, _tc
