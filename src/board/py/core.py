# src/board/py/core.py: the part of the board helper every operation needs, kept in RAM as the
# class namespace _mpy (functions called as _mpy.FN(...) with arguments built by
# src/board/py-literal.ts only). Written for the smallest firmware too (micro:bit v1: no os.stat,
# no os.rename, no memoryview, os.listdir() without an argument, a flat filesystem).
import os
import sys


class _mpy:
    def r(x):
        print(repr(x))

    def j(p, n):
        if not p:
            return n
        return p + n if p[-1] == "/" else p + "/" + n

    def names(p):
        try:
            return os.listdir(p)
        except TypeError:
            return os.listdir()

    def tmp(n):
        # the temporary names of atomic writes (src/board/paths.ts): never listed, swept later
        return n[:1] == "." and n[-8:] in (".mpy-tmp", ".mpy-old", ".mpy-new")

    def st(p):
        # ('d'|'f', size, mtime), or None when p does not exist
        try:
            s = os.stat(p)
        except AttributeError:
            # no os.stat: a flat filesystem with os.size (micro:bit)
            if p in ("", "/"):
                return ("d", 0, None)
            try:
                return ("f", os.size(p), None)
            except OSError:
                return None
        except OSError:
            return None
        return ("d" if s[0] & 0x4000 else "f", s[6], s[8])
