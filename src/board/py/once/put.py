# src/board/py/once/put.py: a small file in one exec on a board nothing is known of yet, sent
# deflated together with its content `b` (src/board/board.ts putOnce). Written to the temp name
# `t`, read back and checked against the host's sha256 (first bytes `y`), then renamed over `p`:
# littlefs replaces it at once. FAT (found out by its case-blind names) will not rename over a
# file, so the old one moves aside to .NAME.mpy-old first; a new file goes by way of
# .NAME.mpy-new, so that it takes the first free entry of the folder, where a direct write puts
# it. Then what cut transfers left in the folder is swept as py/ok.py does: an .mpy-old whose
# file is gone is put back, other temp files go, with the empty stand-in of a cut new file.
# Prints 0 when the check fails (a hashlib that does not work too: the temp file goes, the host
# sends again with the full helper), nothing when done.
def _o(p, t, y, b):
    import os, hashlib

    try:
        with open(t, "wb") as f: f.write(b)
    except OSError: os.remove(t);raise
    try:
        with open(t, "rb") as f: h = hashlib.sha256(f.read()).digest()[:8]
    except Exception: h = 0
    if h != y: os.remove(t);return print(0)
    n = t[:-3] + "new"
    o = t[:-3] + "old"
    try: os.stat(t.upper())
    except OSError: o = 0
    if not o: os.rename(t, p)
    else:
        try: os.stat(p)
        except OSError: os.rename(t, n);o = 0;os.rename(n, p)
        if o: os.rename(p, o);os.rename(t, p);os.remove(o)
    i = p.rfind("/") + 1
    d = p[:i]
    for n in os.listdir(*[p[: i - 1] or "/"][: i > 0]):
        if n[0] == "." and n[-8:-3] == ".mpy-":
            q = d + n
            o = d + n[1:-8]
            try:
                try: s = os.stat(o)[6]
                except OSError: s = -1
                if n[-3:] == "old" and s < 0: os.rename(q, o)
                else:
                    os.remove(q)
                    if n[-3:] == "new" and s == 0 and o != p: os.remove(o)
            except OSError: pass
