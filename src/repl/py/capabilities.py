# src/repl/py/capabilities.py: what this board can do, in one run that never raises. Each
# feature is a dotted name tried by import and getattr; prints a tuple literal: a string of 0/1
# flags in PROBE_FLAGS order (src/repl/raw-repl.ts), free heap after a collect, sys.platform,
# sys.version. Kept terse: it crosses the wire on every new connection.
def _p(a):
    import sys, gc
    r = ""
    for x in a.split():
        x = x.split(".")
        try:
            o = __import__(x[0])
            for n in x[1:]:
                o = getattr(o, n)
            r += "1"
        except:
            r += "0"
    gc.collect()
    print(repr((r, gc.mem_free(), sys.platform, sys.version)))


_p("sys.stdin.buffer sys.stdout.buffer hashlib.sha256 binascii.a2b_base64 deflate.DeflateIO os.stat os.mkdir os.rename micropython.kbd_intr os.statvfs os.ilistdir os.getcwd")
del _p
