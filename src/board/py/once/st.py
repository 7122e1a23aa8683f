# src/board/py/once/st.py: ('d'|'f', size, mtime) of a path, or None when it does not exist.
def _o(p):
    import os
    try:
        s = os.stat(p)
    except OSError:
        s = None
    print(repr(s and ("d" if s[0] & 16384 else "f", s[6], s[8])))
