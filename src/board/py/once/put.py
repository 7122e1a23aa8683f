# src/board/py/once/put.py: a small file in one exec on a board nothing is known of yet, sent
# deflated together with its content `b` (src/board/board.ts putOnce). Written to the temp name
# `t`, read back and checked against the host's sha256 (first bytes `y`), then committed over
# `p` by py/once/cm.py. Prints 0 when the check fails (a hashlib that does not work too: the
# temp file goes, the host sends again with the full helper), nothing when done.
def _o(p, t, y, b):
    import os, hashlib

    try:
        with open(t, "wb") as f: f.write(b)
    except OSError: os.remove(t);raise
    try:
        with open(t, "rb") as f: h = hashlib.sha256(f.read()).digest()[:8]
    except Exception: h = 0
    if h != y: os.remove(t);return print(0)
    _c(p, t)
