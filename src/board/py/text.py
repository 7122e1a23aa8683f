# src/board/py/text.py: file transfer for boards without binary stdin/stdout (micro:bit):
# uploads arrive as bytes literals in a series of small execs, downloads leave as hex or
# base64 lines. Chunks stay small because such boards may have 16 KB of RAM.
try:
    from binascii import a2b_base64 as _A, b2a_base64 as _E
except ImportError:
    _A = _E = None


class _mpyc:
    f = None

    def o(t):
        _mpyc.f = open(t, "wb")
        _mpyc.t = t

    def b(d):
        _mpyc.w(_A(d))

    def w(d):
        try:
            _mpyc.f.write(d)
        except Exception:
            _mpyc.x()
            raise

    def x():
        try:
            _mpyc.f.close()
        except Exception:
            pass
        try:
            os.remove(_mpyc.t)
        except Exception:
            pass

    def c(p, d):
        try:
            _mpyc.f.close()
        except Exception:
            _mpyc.x()
            raise
        _mpyc.f = None
        _mpy.r(_mpy.ok(_mpyc.t, p, d))

    def g(p, k):
        # k bytes per line: base64 when binascii exists, else hex
        f = open(p, "rb")
        try:
            while True:
                d = f.read(k)
                if not d:
                    break
                if _E:
                    print(_E(d).decode().strip())
                else:
                    print("".join("%02x" % x for x in d))
        finally:
            f.close()
