# src/board/py/once/ls.py: a folder's entries as [(name, type, size)] straight from os.ilistdir, in
# one exec on a board nothing is known of yet (see src/board/once.ts, which hides the temporary
# files and cut uploads' stand-ins on the host). Boards without os.ilistdir raise AttributeError
# here and get the full helper instead.
def _o(p):
    import os

    try:
        print([(e[0], e[1], e[3] if len(e) > 3 else os.stat((p + "/" if p else "") + e[0])[6]) for e in os.ilistdir(p)])
    except OSError:
        # a file: ENOTDIR, as ls.py says (FAT's ilistdir says ENOENT); a missing path raises here
        if not os.stat(p)[0] & 16384:
            raise OSError(20)
        raise
