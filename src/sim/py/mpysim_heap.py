# src/sim/py/mpysim_heap.py: module `_mpysim_heap`: the legacy profile's heap, as small as the
# micro:bit v1's. The port's heap holds the sim's own modules too, so a ballast of heap blocks
# takes what the micro:bit would not have; heap-gate.ts keeps the port from growing the heap
# while the ballast is fitted and while code is test-compiled.
import gc, io, sys
import _mpysim as core

_sim = core._sim
_compile = compile

# The micro:bit v1 after boot, idle: micropython.mem_info() says total 10048, used 528.
IDLE_FREE = 9520
IDLE_ALLOC = 528
# Running code may keep more alive than the micro:bit could hold (the port grows its heap then;
# the micro:bit would have raised MemoryError). Compiling then gets at least this much, so a
# `del` can still run.
MIN_FREE = 2048
# gc.mem_free() on the port adds what it could still add as a new heap area: always 128 MB.
_MAX_NEW_SPLIT = 128 * 1024 * 1024

_base = 0  # the sim's own heap use, measured at boot
# The ballast: a chain of 1-tuples, one 16-byte heap block each, newest last. Blocks that small
# fill the holes the sim's start left from the bottom up, so what stays free is one run at the
# top, as on the micro:bit after boot; the newest, dropped first, border that run.
_chain = None
_cost = 0
_total = 0  # the port's heap size when the ballast was last fitted


def _free():
    return gc.mem_free() - _MAX_NEW_SPLIT


def collect():
    # The port collects garbage only at the end of a top-level call, and only when asked: this
    # asks, so the next call sees only live objects.
    gc.collect()


def calibrate():
    # At boot, after collect(): all that is used is the sim's.
    global _base
    _base = gc.mem_alloc()
    return fit(0)


def fit(credit):
    # Size the ballast so the free heap is the micro:bit's with the same user objects alive,
    # plus `credit`. Called after collect(); dropped blocks are freed when the call returns.
    # Returns the free heap the micro:bit would have now.
    global _chain, _cost, _total
    alloc = gc.mem_alloc()
    total = _free() + alloc
    user = min(max(0, alloc - _base - _cost), IDLE_FREE - MIN_FREE)
    want = total - alloc - (IDLE_FREE - user) + _cost - credit
    while _chain is not None and _cost > want:
        _chain = _chain[0]
        _cost -= 16
    _sim.capHeap(True)
    try:
        while _cost + 16 <= want:
            _chain = (_chain,)
            _cost += 16
    except MemoryError:
        pass
    _sim.capHeap(False)
    _total = total
    gc.collect()
    return IDLE_FREE - user


def mem_free():
    # Heap areas the port added since the fit (it grows instead of collecting mid-run) are not
    # the micro:bit's.
    free = _free()
    grown = free + gc.mem_alloc() - _total
    return max(0, free - max(0, grown))


def mem_alloc():
    return max(0, gc.mem_alloc() - _base - _cost + IDLE_ALLOC)


def _error_text(e):
    buf = io.StringIO()
    sys.print_exception(e, buf)
    lines = [l for l in buf.getvalue().split('\n') if l and '_mpysim' not in l]
    if len(lines) > 1 and not lines[1].startswith('  File'):
        lines = lines[1:]  # no frame of the user's left: the firmware prints no header then
    return '\r\n'.join(lines) + '\r\n'


def trial_compile():
    # Compile the raw REPL's code in a heap the micro:bit's size, right after a fit.
    # None if it fits (the port then compiles and runs it as usual, with room to grow, since it
    # cannot collect garbage mid-run); else the error text the firmware would print.
    error = None
    _sim.capHeap(True)
    try:
        _compile(_sim.rawSource(), '<stdin>', 'exec')
    except MemoryError as e:
        error = e
    except BaseException:
        pass  # a SyntaxError: the port's own run reports it
    _sim.capHeap(False)
    gc.collect()
    return None if error is None else _error_text(error)
