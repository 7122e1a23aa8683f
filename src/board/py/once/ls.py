# src/board/py/once/ls.py: a folder's entries straight from os.ilistdir, (name, type, inode,
# size), in one exec on a board nothing is known of yet; the host (src/board/once.ts) hides the
# temporary files and cut uploads' stand-ins, and asks os.stat when the path was no folder.
# Boards without os.ilistdir raise AttributeError here and get the full helper instead.
def _o(p):
    import os

    print(list(os.ilistdir(p)))
