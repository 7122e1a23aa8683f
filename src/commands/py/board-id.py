# src/commands/py/board-id.py: `mpy devs --probe`: which MicroPython a board runs and on what,
# as (version, machine): sys.implementation's where it has `_machine` (1.20 and later), else
# os.uname()'s machine (the micro:bit v1 has os.uname but no `_machine`), else sys.platform.
def _mpy_id():
    import sys

    i = sys.implementation
    v = ".".join(str(n) for n in i.version[:3])
    if len(i.version) > 3 and i.version[3]:
        v += "-" + str(i.version[3])
    m = getattr(i, "_machine", None)
    if not m:
        try:
            import os

            m = os.uname().machine
        except Exception:
            m = sys.platform
    return (v, m)
