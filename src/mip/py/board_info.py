# The board facts `mip install` needs, printed as one tuple literal: sys.path (the default target
# is its first folder ending in /lib) and the .mpy version (low byte of sys.implementation._mpy,
# 0 when the firmware does not say). micro:bit v1 firmware has no sys.path.
import sys
print(repr((list(getattr(sys, "path", ())), getattr(sys.implementation, "_mpy", 0) & 255)))
