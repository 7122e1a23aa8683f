# src/board/py/reuse.py: what lets the next connection reuse the helper instead of sending it
# again (boards with room only; small ones free it at the end of each session). The host sets
# _mpy.V (helper version) and _mpy.C (the capability probe's answer) and adds each part's name
# to _mpy.L as it loads it.
def _z():
    _mpy.r((_mpy.V, _mpy.C, _mpy.L))


_mpy.L = ""
_mpy.z = _z
del _z
