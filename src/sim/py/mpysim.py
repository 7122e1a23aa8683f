# src/sim/py/mpysim.py: installed as module `_mpysim`, run at every interpreter start to make the
# WebAssembly port look like a board on a UART (imported from /tmp before `/` becomes the flash).
# setup() cooks print's newlines, gives 4-tuple ilistdir, statvfs from the flash size, a
# `machine` module, an interruptible `time.sleep`; setup(True) adds the legacy profile
# (mpysim_legacy.py). `js.mpySim` is the worker's bridge (see worker.ts).
import sys, builtins, os, micropython, js, gc, io
import time as _time

_sim = js.mpySim
_out = sys.stdout.buffer
_print = builtins.print
_import = builtins.__import__
# The legacy profile replaces these builtins for user code; the sim keeps the port's.
_compile = compile
_open = open
# Legacy profile: a function saying whether an import must fail (the module is not on that board).
_refuse = None
_subst = {}
_stat = os.stat
_ilistdir = os.ilistdir
_listdir = os.listdir


# Text goes to a device whose driver (interpreter.ts) turns \n into \r\n, as a UART board's
# sys.stdout does; sys.stdout.buffer stays raw. Doing it there keeps print allocation-free:
# the port only frees memory between top-level runs, so garbage per print adds up.
_text = _open('/dev/mpysim-text', 'w')


def _cooked_print(*args, sep=' ', end='\n', file=None):
    if file is None or file is _stdout:
        file = _text
    _print(*args, sep=sep, end=end, file=file)


class _CookedStdout(io.IOBase):
    def write(self, data):
        return _text.write(data if isinstance(data, str) else bytes(data).decode())

    def flush(self):
        pass

    def fileno(self):
        return 1


_stdout = _CookedStdout()
_stdout.buffer = _out


def _print_exception_cooked(exc, file=None):
    sys.print_exception(exc, _text if file is None or file is _stdout else file)


def _make_sys():
    # The port's sys.stdout is a raw file and cannot be replaced, so 'import sys' gets a copy.
    s = _copy(sys)
    s.stdout = _stdout
    s.stderr = _stdout
    s.print_exception = _print_exception_cooked
    return s


def _uname():
    from collections import namedtuple
    v = sys.implementation.version
    release = '%d.%d.%d' % (v[0], v[1], v[2])
    u = namedtuple('uname_result', ('sysname', 'nodename', 'release', 'version', 'machine'))
    return u('mpy-sim', 'mpy-sim', release, sys.version.split('; ')[-1].replace('MicroPython ', ''), 'mpy-sim with webassembly')


def _input(prompt=None):
    # The port's input() reads through a stub that never returns; read the link instead,
    # echoing like a board's readline. Ctrl-C (an interrupt) ends the read with b''.
    if prompt is not None:
        _text.write(str(prompt))
    line = bytearray()
    while True:
        c = sys.stdin.buffer.read(1)
        if not c:
            continue
        if c == b'\r' or c == b'\n':
            break
        if c == b'\x04' and not line:
            raise EOFError
        if c == b'\x7f' or c == b'\x08':
            if line:
                line.pop()
                _out.write(b'\x08 \x08')
            continue
        line += c
        _out.write(c)
    _out.write(b'\r\n')
    return line.decode()


def _repl_print(value):
    # The friendly REPL echoes results through the raw sys.stdout; a board ends them with \r\n.
    if value is not None:
        _text.write(repr(value) + '\n')
        builtins._ = value


def _sim_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0:
        if _refuse is not None and _refuse(name):
            raise ImportError("no module named '%s'" % name)
        m = _subst.get(name)
        if m is not None:
            return m
    return _import(name, globals, locals, fromlist, level)


def _join(path, name):
    if isinstance(path, bytes):
        return path + b'/' + name if path not in (b'', b'/') else (b'/' + name if path == b'/' else name)
    if path in ('', '.'):
        return name
    return path + name if path.endswith('/') else path + '/' + name


def _here(path):
    # a board's VFS takes '' for its current folder (os.stat(''), os.ilistdir('')); the
    # WebAssembly port's file system says ENOENT
    return '.' if path == '' else b'.' if path == b'' else path


def _stat_here(path):
    return _stat(_here(path))


def _listdir_here(path='.'):
    return _listdir(_here(path))


def _ilistdir4(path='.'):
    path = _here(path)
    for entry in _ilistdir(path):
        name, kind, ino = entry[0], entry[1], entry[2]
        size = 0
        if kind == 0x8000:
            size = _stat(_join(path, name))[6]
        yield (name, kind, ino, size)


def _statvfs(path='/'):
    _stat(path)
    bsize = 4096
    total = _sim.flashSize // bsize
    free = total - (_sim.flashUsed() + bsize - 1) // bsize
    return (bsize, bsize, total, free, free, 0, 0, 0, 0, 255)


class _Namespace:
    pass


def _copy(module):
    ns = _Namespace()
    for n in dir(module):
        if not n.startswith('__'):
            setattr(ns, n, getattr(module, n))
    return ns


def _sleep_ms(ms):
    _sim.sleep(int(ms))


def _make_time():
    t = _copy(_time)
    t.sleep = lambda s: _sleep_ms(s * 1000)
    t.sleep_ms = _sleep_ms
    t.sleep_us = lambda us: _sleep_ms(us // 1000) if us >= 1000 else None
    return t


def _make_machine():
    m = _Namespace()
    m.reset = lambda: _sim.hardReset()
    m.soft_reset = lambda: sys.exit()
    m.unique_id = lambda: b'\x6d\x70\x79\x73\x69\x6d'
    m.freq = lambda *a: 160000000
    m.idle = lambda: None
    m.reset_cause = lambda: 1
    m.PWRON_RESET = 1
    m.HARD_RESET = 2
    m.SOFT_RESET = 5
    return m


def setup(legacy):
    os.chdir('/')
    builtins.print = _cooked_print
    builtins.__repl_print__ = _repl_print
    builtins.input = _input
    os.ilistdir = _ilistdir4
    os.stat = _stat_here
    os.listdir = _listdir_here
    os.statvfs = _statvfs
    os.uname = _uname
    _subst['sys'] = _subst['usys'] = _make_sys()
    t = _make_time()
    _subst['time'] = t
    _subst['utime'] = t
    _subst['machine'] = _make_machine()
    if legacy:
        import _mpysim_legacy
        _mpysim_legacy.install()
    sys.path.remove('/tmp')  # the sim's modules are imported; /tmp is about to go
    builtins.__import__ = _sim_import


def _print_exception(e):
    # As pyexec prints it: no frame of this helper, \r\n line ends.
    buf = io.StringIO()
    sys.print_exception(e, buf)
    lines = [l for l in buf.getvalue().split('\n') if '_mpysim' not in l]
    _text.write('\n'.join(lines))


def run_file(name, g):
    try:
        _stat(name)
    except OSError:
        return
    micropython.kbd_intr(3)
    try:
        with _open(name) as f:
            src = f.read()
        exec(_compile(src, name, 'exec'), g)
    except SystemExit:
        pass
    except BaseException as e:
        _print_exception(e)
    finally:
        micropython.kbd_intr(-1)
