#!/usr/bin/env bash
# scripts/setup-system.sh: Debian packages the tests need: libfuse2 + fuse (for `mpy mount`),
# socat (pty pairs), qemu-system-arm and firmware-microbit-micropython (the real boards of
# ../shared/boards: MicroPython's qemu port and the BBC micro:bit v1 firmware), and
# python3-serial + python3-platformdirs (for ../shared/peers/mpremote.sh, the bench's everyday
# table's yardstick). Skips what is already there.
set -euo pipefail
need=()
[ -e /usr/lib/x86_64-linux-gnu/libfuse.so.2 ] || ldconfig -p 2>/dev/null | grep -q 'libfuse.so.2 ' || need+=(libfuse2)
command -v fusermount >/dev/null 2>&1 || need+=(fuse)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v qemu-system-arm >/dev/null 2>&1 || need+=(qemu-system-arm)
[ -e /usr/share/firmware-microbit-micropython/firmware.hex ] || need+=(firmware-microbit-micropython)
/usr/bin/python3 -c 'import serial' >/dev/null 2>&1 || need+=(python3-serial)
/usr/bin/python3 -c 'import platformdirs' >/dev/null 2>&1 || need+=(python3-platformdirs)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}"
  else
    echo "mpy setup: please install: ${need[*]} (sudo apt-get install ${need[*]})" >&2
  fi
fi
