# src/board/py/once/pt.py: a small file edited in one exec, for `dev` and `watch` saves after a
# soft reset wiped the helper: the new content built in RAM from ranges (start, end) of the old
# and inserted bytes, written to the temp name `t` and renamed over `p` only when its sha256
# starts with the bytes `y` (an old file other than the host's base fails that too). Prints 0
# for a mismatch, nothing when done. A board without hashlib, or whose rename cannot replace a
# file (FAT), raises: the host patches with the full helper from then on. Written compact: it
# travels with every save.
def _o(p, t, o, y):
    import os, hashlib
    with open(p, "rb") as f: b = f.read()
    b = b"".join(b[s[0] : s[1]] if type(s) is tuple else s for s in o)
    if hashlib.sha256(b).digest()[:6] != y: return print(0)
    try:
        with open(t, "wb") as f: f.write(b)
        os.rename(t, p)
    except OSError: os.remove(t);raise
