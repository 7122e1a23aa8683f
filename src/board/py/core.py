# src/board/py/core.py: the helper every board operation needs: digests, joins, atomic commit.
# Sent once per connection (minified) and kept in RAM as the class namespace _mpy.
# Host code calls _mpy.FN(...) with arguments built by src/board/py-literal.ts only.
import os
import sys


class _mpy:
    def r(x):
        print(repr(x))

    def names(p):
        # micro:bit's os.listdir takes no folder
        try:
            return os.listdir(p)
        except TypeError:
            return os.listdir()

    def j(p, n):
        if not p:
            return n
        return p + n if p[-1] == "/" else p + "/" + n

    def st(p):
        # ('d'|'f', size, mtime) or None when p does not exist; py/legacy.py without os.stat
        if not hasattr(os, "stat"):
            return _mpy.lst(p)
        try:
            s = os.stat(p)
        except OSError:
            return None
        return ("d" if s[0] & 0x4000 else "f", s[6], s[8])

    def dg(p):
        # sha256 hex where hashlib exists, else "size:adler32" (same as src/board/digest.ts)
        f = open(p, "rb")
        n = 0
        a = 1
        c = 0
        h = _mpy.H() if _mpy.H else None
        try:
            while True:
                d = f.read(512)
                if not d:
                    break
                n += len(d)
                if h:
                    h.update(d)
                else:
                    for x in d:
                        a = (a + x) % 65521
                        c = (c + a) % 65521
        finally:
            f.close()
        if h:
            return "".join("%02x" % x for x in h.digest())
        return "%d:%04x%04x" % (n, c, a)

    def mvf(a, b):
        try:
            os.rename(a, b)
        except OSError as e:
            # FAT refuses to rename over an existing file (EEXIST): remove it first, only then;
            # any other failure leaves the old file alone
            if e.args[0] != 17:
                raise
            os.remove(b)
            os.rename(a, b)

    def ok(t, p, d):
        # commit temp file t as p if its digest is d; else drop it and report False
        if _mpy.dg(t) != d:
            os.remove(t)
            return False
        try:
            _mpy.mvf(t, p)
        except OSError:
            # e.g. p is a folder: no temp file left behind
            os.remove(t)
            raise
        _mpy.clean(p)
        return True

    def clean(p):
        # remove temp files left by cut transfers in the folder of p
        i = p.rfind("/")
        d = p[:i] if i > 0 else p[:i + 1]
        for n in _mpy.names(d):
            if n[:1] == "." and n[-8:] == ".mpy-tmp":
                try:
                    os.remove(_mpy.j(d, n))
                except OSError:
                    pass


try:
    import hashlib

    _mpy.H = hashlib.sha256
except ImportError:
    _mpy.H = None
