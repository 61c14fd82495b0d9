#!/usr/bin/env bash
# Prepare this checkout on a Debian 12 machine: Debian packages, then a virtual environment in
# .venv with the kiosk installed in it. Safe to run again: it only installs what is missing.
#
#   bash provisioning/setup-dev.sh          what `kiosk demo` and `kiosk run` need
#   bash provisioning/setup-dev.sh --test   also what the tests need (Xvfb, openbox, xdotool...)
#   bash provisioning/setup-dev.sh --station   also what a station runs on (X server, CUPS, pcscd);
#                                            `kiosk-provision install` runs this in /opt/kiosk
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
with_station=0
[ "${1:-}" = "--test" ] && with_tests=1
[ "${1:-}" = "--station" ] && with_station=1

# Run: Kivy's SDL2 needs Mesa (GL/EGL, also for SDL's offscreen driver) and libmtdev; the
# screens are set in Andika with Material Icons pictograms (kiosk/core/typeface.py), receipts
# in DejaVu Sans; pyscard and pycups have no Linux wheels and build against these headers;
# the central systems' certificates are checked against the system's store (ca-certificates).
packages=(python3 python3-venv python3-dev gcc swig libpcsclite-dev libcups2-dev
          libgl1 libegl1 libgl1-mesa-dri libmtdev1 fonts-dejavu-core ca-certificates
          fonts-sil-andika fonts-material-design-icons-iconfont)
# Tests: a virtual X server and a window manager (Alt+F4), real key events, screenshots of the
# X screen, and systemd-analyze for the unit file; for printing, a real CUPS with an IPP
# Everywhere printer (ippeveprinter needs avahi, which needs D-Bus); strace to see the outbox's
# fsyncs, openssl for a throwaway certificate (TLS verification tests), xclip to read the X
# selection (no text field may put a person's text there); xhost and xset for the display
# session's start script, and the X server itself, which its unit names (systemd-analyze); for
# badges, a real pcscd with the vpcd virtual reader, which the project's badge emulator plugs a
# card into; for speech, espeak-ng and ALSA's aplay, which the tests point at a WAV file.
test_packages=(xvfb xauth x11-utils openbox xdotool imagemagick systemd
               cups cups-client cups-bsd cups-ipp-utils avahi-daemon dbus poppler-utils
               strace openssl xclip x11-xserver-utils xserver-xorg-core pcscd vsmartcard-vpcd
               espeak-ng alsa-utils)
[ "$with_tests" = 1 ] && packages+=("${test_packages[@]}")
# A station: the X server of its screens with libinput for touch, keyboards and mice (no window
# manager, no desktop), xhost/xset/xrandr for the display session's start script, CUPS for
# receipts, pcscd for the badge reader, espeak-ng and aplay for speech (docs/installation.md).
station_packages=(xserver-xorg-core xserver-xorg-input-libinput x11-xserver-utils xauth
                  cups cups-client pcscd libccid systemd espeak-ng alsa-utils)
[ "$with_station" = 1 ] && packages+=("${station_packages[@]}")

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
extras=""
[ "$with_tests" = 1 ] && extras="[test]"
stamp=".venv/.installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing the kiosk into .venv ${extras}"
  .venv/bin/python -m pip install -q -e ".${extras}"
  touch "$stamp"
fi
# Byte-compile the kiosk's own modules, as an installed station has them: start-up time is
# measured against a target.
.venv/bin/python -m compileall -q kiosk screens devices provisioning >/dev/null
