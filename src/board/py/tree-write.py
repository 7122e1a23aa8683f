# src/board/py/tree-write.py: the second half of a tree upload (host side: src/board/
# tree-upload.ts): the files the board does not hold come as one deflate stream of n bytes on
# stdin, with put.py's windows and acknowledgements (and its ready and sync bytes): first their
# manifest (q bytes, as tree-compare.py takes it), then their contents one after another. Each
# is written to its temp name (src/board/paths.ts tempPathFor), verified and committed by ok.py;
# prints what ok answered for each. Ctrl-C is off while the stream is read (0x03 is data).
def _tw(n, w, z, q):
    # n stdin bytes, w window, z deflate wbits, q bytes of manifest at the stream's start
    import micropython

    o = sys.stdout.buffer
    try:
        import deflate

        r = _mpyR(n, w)
        x = deflate.DeflateIO(r, deflate.RAW, z)
        b = bytearray(512)
        m = memoryview(b)
    except Exception:
        o.write(b"\x00")
        raise
    e = None
    v = []
    try:
        r.sync(o)
        try:
            a = x.read(q)
            if len(a) != q:
                raise OSError(5)
            a = _mpy.tm(a)
            # each folder swept once, before (ok.py sweeps after each file: ~3 ms a file on a
            # Cortex-M's littlefs); what this stream leaves, it leaves by a cut, as put.py does
            s = {}
            for p, k, d in a:
                i = p.rfind("/")
                s[p[:i] if i > 0 else p[:i + 1]] = 1
            for y in s:
                _mpy.clean(y)
            for p, k, d in a:
                i = p.rfind("/") + 1
                t = p[:i] + "." + p[i:] + ".mpy-tmp"
                f = open(t, "wb")
                try:
                    while k:
                        g = x.readinto(m[:min(k, 512)])
                        if not g:
                            raise OSError(5)
                        f.write(m[:g])
                        k -= g
                    f.close()
                except BaseException:
                    try:
                        f.close()
                    except Exception:
                        pass
                    _mpy.un(t, p)
                    raise
                # ok.py's commit without its sweep (each folder was swept once, above)
                h = _mpy.dg(t)
                if h[:len(d)] != d:
                    _mpy.un(t, p)
                    v.append(h)
                else:
                    try:
                        v.append(_mpy.mv(t, p))
                    except OSError:
                        try:
                            _mpy.un(t, p)
                        except OSError:
                            pass
                        raise
        except Exception as c:
            e = c
        # an error must not leave host bytes for the REPL to run: take all of them
        while r.readinto(b):
            pass
    except BaseException as c:
        e = c
    finally:
        micropython.kbd_intr(3)
    if e:
        raise e
    _mpy.r(v)


_mpy.tw = _tw
del _tw
