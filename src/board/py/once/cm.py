# src/board/py/once/cm.py: the commit of the one-exec upload (once/put.py) and the sweep it
# shares with the first exec after a cut (src/commands/pending.ts): the verified temp
# file `t` renamed over `p`, as py/mvr.py and py/ok.py do it. littlefs replaces at once. FAT
# (found out by its case-blind names) moves the old file aside to .NAME.mpy-old first: its own
# rename over a file (current firmware) removes the target before it renames, and a cut between
# the two would leave only a temp file; a new file goes by way of .NAME.mpy-new, so that it takes
# the first free entry of the folder, where a direct write puts it.
def _c(p, t):
    import os

    n = t[:-3] + "new"
    o = t[:-3] + "old"
    try: os.stat(t.upper())
    except OSError: o = 0
    if not o: os.rename(t, p)
    else:
        try: s = os.stat(p)[0]
        except OSError: os.rename(t, n);o = 0;os.rename(n, p)
        if o:
            if s & 16384: os.remove(t);raise OSError(21)
            os.rename(p, o);os.rename(t, p);os.remove(o)
    _s(p)


# What cut transfers left in the folder of `p` (a path in it; `/lib/` for the folder itself): an
# .mpy-old or .mpy-new whose file is missing becomes that file (a replace cut between its
# renames, rolled back or finished), other temp files go, with the empty stand-in that mpy
# before 2026-12 made for a new file (not `p` itself).
def _s(p):
    import os

    i = p.rfind("/") + 1
    d = p[:i]
    for n in os.listdir(*[p[: i - 1] or "/"][: i > 0]):
        if n[0] == "." and n[-8:-3] == ".mpy-":
            q = d + n
            o = d + n[1:-8]
            try:
                try: s = os.stat(o)[6]
                except OSError: s = -1
                if n[-3:] != "tmp" and s < 0 and n[1:-8]: os.rename(q, o)
                else:
                    os.remove(q)
                    if n[-3:] == "new" and s == 0 and o != p: os.remove(o)
            except OSError: pass
