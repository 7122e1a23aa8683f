# src/repl/py/capabilities.py: probe what this board can do, in one run; prints a tuple literal
# whose order is PROBE_FIELDS in src/repl/raw-repl.ts (a tuple keeps the code short on the wire).
# Works on the smallest ports (micro:bit v1: no os.stat, no hashlib, flat filesystem).
def _mpy_probe():
    import sys
    import gc

    try:
        import os
    except ImportError:
        import uos as os

    def h(m, a):
        try:
            return hasattr(__import__(m), a)
        except ImportError:
            return False

    gc.collect()
    try:
        f = gc.mem_free()
    except AttributeError:
        f = -1
    print(repr((
        hasattr(sys.stdin, 'buffer'),
        hasattr(sys.stdout, 'buffer'),
        h('hashlib', 'sha256'),
        h('binascii', 'a2b_base64'),
        h('deflate', 'DeflateIO'),
        hasattr(os, 'stat'),
        hasattr(os, 'mkdir'),
        h('micropython', 'kbd_intr'),
        f,
        sys.platform,
        sys.version,
    )))


_mpy_probe()
del _mpy_probe
