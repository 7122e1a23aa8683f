# src/board/py/tput.py: uploads for boards without binary stdin (micro:bit): the content
# arrives as bytes literals (or base64 where binascii exists) in a series of small execs, so
# each one compiles in a small heap.
class _mpyc:
    f = None

    def o(t):
        _mpyc.f = open(t, "wb")
        _mpyc.t = t

    def b(d):
        import binascii

        _mpyc.w(binascii.a2b_base64(d))

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
        _mpyc.f = None
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
