# examples/blink.py: blink the on-board LED if there is one, and say so on the REPL.
import time

try:
    from machine import Pin

    led = Pin("LED", Pin.OUT)
except Exception:
    led = None

for i in range(3):
    if led:
        led.toggle()
    print("blink", i)
    time.sleep_ms(100)
