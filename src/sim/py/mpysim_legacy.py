# src/sim/py/mpysim_legacy.py: the legacy profile, module `_mpysim_legacy`: what the BBC micro:bit
# v1 firmware (MicroPython 1.9.2) shows user code. Every name list, message and number here was
# measured on that firmware (Debian's firmware-microbit-micropython in qemu's microbit machine).
import builtins, gc, micropython, os, sys
import _mpysim as core
from _mpysim_heap import mem_alloc, mem_free

_sim = core._sim
_raw_open = open
_remove = os.remove
_listdir = os.listdir
_stat = os.stat
_help = builtins.help
_BaseOSError = OSError

# The micro:bit's flat filesystem: 128-byte chunks with 126 bytes of data each; a file's first
# chunk also holds its name and 2 header bytes. A name is at most 120 bytes and may contain '/',
# which the sim's files cannot: it is kept as U+2215 (division slash) in the flash folder.
_CHUNK_DATA = 126
_NAME_MAX = 120
_SLASH = '\u2215'

# dir() on the real modules, in the firmware's order.
_SYS = ('version', 'version_info', 'implementation', 'platform', 'byteorder', 'exit',
        'print_exception')
_OS = ('remove', 'listdir', 'size', 'uname')
_GC = ('collect', 'disable', 'enable', 'isenabled', 'mem_free', 'mem_alloc', 'threshold')
_MICROPYTHON = ('const', 'opt_level', 'mem_info', 'qstr_info', 'stack_use', 'heap_lock',
                'heap_unlock', 'kbd_intr')
_TIME = ('sleep', 'sleep_ms', 'sleep_us', 'ticks_ms', 'ticks_us', 'ticks_add', 'ticks_diff')
_MACHINE = ('unique_id', 'reset', 'freq', 'disable_irq', 'enable_irq')
_FILE = ['close', 'name', '__enter__', '__exit__', 'writable', 'read', 'readinto', 'readline',
         'write']
# Importable there (help('modules') less the micro:bit hardware modules) and here.
_MODULES = ('__main__', 'array', 'builtins', 'collections', 'gc', 'machine', 'math',
            'micropython', 'os', 'random', 'struct', 'sys', 'time', 'ucollections', 'ustruct',
            'utime')
# Builtins the firmware does not have. The port's builtins cannot be removed, only replaced.
_MISSING_BUILTINS = ('compile', 'complex', 'delattr', 'execfile', 'memoryview', 'property')


class module:
    # A module whose dir() is exactly the real one's; named so that a missing attribute reads
    # as there: "'module' object has no attribute 'stat'".
    def __init__(self, name, names, source):
        self.__name__ = name
        self._names = ['__name__'] + list(names)
        for n in names:
            setattr(self, n, getattr(source, n))

    def __dir__(self):
        return self._names

    def __repr__(self):
        return "<module '%s'>" % self.__name__


class _Errno(int):
    # The firmware prints `OSError: 28`, not `[Errno 28] ENOSPC`: the port names an errno only
    # when it is a plain small int, and this int is not.
    pass


def _oserror(errno):
    return _BaseOSError(_Errno(errno))


class _Missing:
    # Stands for a builtin the firmware lacks: using it fails as the missing name would.
    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise NameError("name '%s' is not defined" % self._name)


class _Implementation:
    name = 'micropython'
    version = (1, 9, 2)

    def __repr__(self):
        return "(name='micropython', version=(1, 9, 2))"


class _Uname:
    sysname = 'microbit'
    nodename = 'microbit'
    release = '1.0.1'
    version = 'micro:bit v1.0.1 (mpy-sim legacy profile); MicroPython v1.9.2 on 2017-09-01'
    machine = 'micro:bit with nRF51822 (mpy-sim)'

    def __repr__(self):
        return ('(sysname=%r, nodename=%r, release=%r, version=%r, machine=%r)' %
                (self.sysname, self.nodename, self.release, self.version, self.machine))


def _path(name):
    if not isinstance(name, str):
        raise TypeError("can't convert %s to str" % type(name).__name__)
    return '/' + name.replace('/', _SLASH)


def _chunks(name_len, size):
    # A chunk is taken as soon as the previous one is full, so a file ending on a chunk
    # boundary holds one more.
    return (2 + name_len + size) // _CHUNK_DATA + 1


def listdir(*args):
    if args:
        raise TypeError('function takes 0 positional arguments but %d were given' % len(args))
    return [n.replace(_SLASH, '/') for n in _listdir('/')]


def size(name):
    try:
        return _stat(_path(name))[6]
    except _BaseOSError:
        raise _BaseOSError('file not found')


def remove(name):
    try:
        _remove(_path(name))
    except _BaseOSError:
        raise _BaseOSError('file not found')


def uname():
    return _Uname()


class _File:
    def __init__(self, name, path, raw, writing):
        self._name = name
        self._path = path
        self._raw = raw
        self._writing = writing
        self._open = True
        self._name_len = len(bytes(name, 'utf-8'))
        self._size = 0

    def __dir__(self):
        return _FILE

    def _check(self, writing):
        if not self._open:
            raise ValueError('I/O operation on closed file')
        if self._writing != writing:
            raise _oserror(9)

    def name(self):
        return self._name

    def writable(self):
        return self._writing

    def close(self):
        if self._open:
            self._open = False
            self._raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def read(self, *n):
        self._check(False)
        return self._raw.read(*n)

    def readinto(self, buf, *n):
        self._check(False)
        return self._raw.readinto(buf, *n)

    def readline(self, *n):
        self._check(False)
        return self._raw.readline(*n)

    def write(self, data):
        self._check(True)
        if isinstance(data, str):
            data = bytes(data, 'utf-8')
        n = len(data)
        need = _chunks(self._name_len, self._size + n) - _chunks(self._name_len, self._size)
        if need > _sim.flashChunksFree():
            # The firmware frees a file whose write ran out of chunks, and closes it.
            self.close()
            _remove(self._path)
            raise _oserror(28)
        self._raw.write(data)
        self._size += n
        return n


class TextIO(_File):
    pass


class BytesIO(_File):
    pass


def open(*args, **kwargs):
    if kwargs:
        raise TypeError('function does not take keyword arguments')
    if not 1 <= len(args) <= 2:
        raise TypeError('function expected at most 2 arguments, got %d' % len(args))
    name = args[0]
    read = text = None
    for c in args[1] if len(args) == 2 else '':
        if c in 'rw' and read is None:
            read = c == 'r'
        elif c in 'bt' and text is None:
            text = c == 't'
        else:
            raise ValueError('illegal mode')
    writing = read is False
    binary = text is False
    path = _path(name)
    if len(bytes(name, 'utf-8')) > _NAME_MAX:
        raise _BaseOSError('file not found')
    if writing:
        # The firmware frees the old file first, so it is gone even when no chunk is left.
        try:
            _remove(path)
        except _BaseOSError:
            pass
        if _sim.flashChunksFree() < 1:
            raise _BaseOSError('no more storage space')
        raw = _raw_open(path, 'wb')
    else:
        try:
            raw = _raw_open(path, 'rb' if binary else 'r')
        except _BaseOSError:
            raise _BaseOSError('file not found')
    return (BytesIO if binary else TextIO)(name, path, raw, writing)


def help(*args):
    if args == ('modules',):
        names = sorted(_MODULES)
        rows = (len(names) + 3) // 4
        for r in range(rows):
            core._text.write(''.join('%-18s' % n for n in names[r::rows]).rstrip() + '\n')
        core._text.write('Plus any modules on the filesystem\n')
        return
    _help(*args)


def _refuse(name):
    if name in _MODULES or name.startswith('_mpysim'):
        return False
    try:
        # A module of the user's on the flash is importable there too.
        _stat(_path(name + '.py'))
        return False
    except _BaseOSError:
        return True


def _make_sys():
    s = core._subst['sys']
    s.version = '3.4.0'
    s.version_info = (3, 4, 0)
    s.implementation = _Implementation()
    s.platform = 'microbit'
    return module('sys', _SYS, s)


def _make_gc():
    g = core._Namespace()
    for n in _GC:
        setattr(g, n, getattr(gc, n))
    g.mem_free = mem_free
    g.mem_alloc = mem_alloc
    return module('gc', _GC, g)


def _make_machine():
    m = core._subst['machine']
    m.disable_irq = lambda: 0
    m.enable_irq = lambda state: None
    return module('machine', _MACHINE, m)


def install():
    # core.setup() calls this before it puts in the import hook; the sim's own code keeps the
    # real modules it imported (sys.stdin, os.stat...), user code gets these.
    sub = core._subst
    t = module('time', _TIME, sub['time'])
    sub['sys'] = _make_sys()
    sub['os'] = module('os', _OS, sys.modules[__name__])
    sub['gc'] = _make_gc()
    sub['micropython'] = module('micropython', _MICROPYTHON, micropython)
    sub['time'] = sub['utime'] = t
    sub['machine'] = _make_machine()
    core._refuse = _refuse
    builtins.open = open
    builtins.help = help
    for name in _MISSING_BUILTINS:
        setattr(builtins, name, _Missing(name))
