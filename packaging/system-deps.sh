#!/usr/bin/env bash
# Make sure the Debian/Ubuntu packages the kiosk needs are present.
#   packaging/system-deps.sh run    Qt's X11 (xcb) libraries and fonts, to show the kiosk
#   packaging/system-deps.sh test   the same plus Xvfb, to run the GUI tests headless
#   packaging/system-deps.sh package  the same plus dpkg-dev/fakeroot, to build the .deb
#   packaging/system-deps.sh web    Debian's chromium + chromium-driver, for the studio's
#                                   browser tests (make test runs this mode as well)
#   packaging/system-deps.sh depends  print the runtime list as a .deb Depends value
# As root, missing packages are installed with apt-get. Otherwise the exact apt-get line
# is printed and the script fails, so `make` stops with something to do.
set -euo pipefail
mode=${1:-run}

runtime=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
         libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
         libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 tzdata)
if [ "$mode" = depends ]; then
  # packaging/build.sh puts this in the .deb, so the package and `make run` agree.
  printf '%s, ' "${runtime[@]}" fontconfig | sed 's/, $//'
  echo
  exit 0
fi
wanted=("${runtime[@]}")
if [ "$mode" = web ]; then
  # One source package builds both, so their versions always match; Selenium uses them
  # offline (SE_OFFLINE=true) and never downloads a browser.
  wanted=(chromium chromium-driver)
fi
if [ "$mode" = test ]; then
  # xdotool: tests/ui/test_startup_tap.py taps the real kiosk right after its first frame;
  # nginx: the fleet tests serve a content channel from a real web server on 127.0.0.1;
  # reprepro/gnupg: they publish a signed APT repository that apt reads (tests/fleet)
  wanted+=(xvfb xauth xdotool nginx reprepro gnupg)
fi
if [ "$mode" = package ]; then
  # xdotool/x11-utils/openbox/xserver-xephyr/x11-xserver-utils: .ci/run drives the built
  # kiosk with real X input, bare and under a window manager (check-lockdown-x11.sh), and
  # resizes its screen (check-screen-resize.sh, which asks RandR through xrandr)
  wanted+=(dpkg-dev fakeroot binutils xvfb xauth xdotool x11-utils openbox xserver-xephyr
           x11-xserver-utils)
  # reprepro/gnupg/nginx: .ci/run publishes the .deb into a signed APT repository served
  # by nginx and upgrades an installed kiosk from it (packaging/check-apt-upgrade.sh)
  wanted+=(reprepro gnupg nginx)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian/Ubuntu system; install Qt 6's xcb libraries and Xvfb yourself" >&2
  exit 0
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing+=("$pkg") ;; esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages. Run this once, then try again:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
