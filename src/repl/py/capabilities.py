# src/repl/py/capabilities.py: probe what this board can do, in one run; prints a dict literal.
# Works on the smallest ports (micro:bit v1: no os.stat, no hashlib, flat filesystem).
def _mpy_probe():
    import sys
    import gc

    try:
        import os
    except ImportError:
        import uos as os

    def has(module, attr):
        try:
            return hasattr(__import__(module), attr)
        except ImportError:
            return False

    gc.collect()
    try:
        free = gc.mem_free()
    except AttributeError:
        free = -1
    print(repr({
        'stdinBuffer': hasattr(sys.stdin, 'buffer'),
        'stdoutBuffer': hasattr(sys.stdout, 'buffer'),
        'hashlib': has('hashlib', 'sha256'),
        'binascii': has('binascii', 'a2b_base64'),
        'deflate': has('deflate', 'DeflateIO'),
        'osStat': hasattr(os, 'stat'),
        'directories': hasattr(os, 'mkdir'),
        'kbdIntr': has('micropython', 'kbd_intr'),
        'memFree': free,
        'platform': sys.platform,
        'version': sys.version,
    }))


_mpy_probe()
del _mpy_probe
