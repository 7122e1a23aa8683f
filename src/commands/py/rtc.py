# src/commands/py/rtc.py: mpremote's `rtc`: print the board's RTC as a tuple, or set it from the
# tuple the host passes (year, month, day, weekday, hours, minutes, seconds, subseconds).
import machine


def _mpy_rtc(t):
    r = machine.RTC()
    if t is None:
        print(repr(r.datetime()))
    else:
        r.datetime(t)
