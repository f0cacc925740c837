#!/usr/bin/env bash
# Resolution-change check with a real X server: the built kiosk runs full-screen inside a
# resizable Xephyr (nested in Xvfb); the Xephyr window is then resized, which Xephyr reports
# to its clients as a RandR screen change (as when a monitor is swapped or switched to
# another resolution). The kiosk must lay itself out on the new geometry, without a restart.
#   packaging/check-screen-resize.sh [path/to/kiosk]     (default: dist/kiosk/kiosk)
# Needs: Xvfb, Xephyr (xserver-xephyr), xdotool, xwininfo (x11-utils), xrandr
# (x11-xserver-utils); `bash packaging/system-deps.sh package` installs them.
set -u
cd "$(dirname "$0")/.."
for tool in Xvfb Xephyr xdotool xwininfo xrandr; do
  command -v "$tool" >/dev/null || {
    echo "FAIL: $tool not found; run: sudo bash packaging/system-deps.sh package"
    exit 1
  }
done
BIN=${1:-dist/kiosk/kiosk}
WORK=$(mktemp -d)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
wait_for_file() { for _ in $(seq 50); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }

"$BIN" db build --db "$WORK/content.db" >/dev/null || { echo "FAIL: db build"; exit 1; }
Xvfb -displayfd 3 -screen 0 2400x2400x24 -nolisten tcp 3>"$WORK/host" >/dev/null 2>&1 &
host_pid=$!
wait_for_file "$WORK/host"
HOST=":$(cat "$WORK/host")"
DISPLAY=$HOST Xephyr -displayfd 3 -resizeable -screen 1920x1080 -nolisten tcp \
  3>"$WORK/inner" >/dev/null 2>&1 &
xephyr_pid=$!
wait_for_file "$WORK/inner"
INNER=":$(cat "$WORK/inner")"
DISPLAY=$INNER "$BIN" run --db "$WORK/content.db" >"$WORK/kiosk.log" 2>&1 &
kiosk=$!
for _ in $(seq 50); do grep -q "first frame" "$WORK/kiosk.log" && break; sleep 0.2; done
window=$(DISPLAY=$INNER xdotool search --pid "$kiosk" 2>/dev/null | tail -n 1)
nested=$(DISPLAY=$HOST xdotool search --class Xephyr 2>/dev/null | head -n 1)
size() { DISPLAY=$INNER xwininfo -id "$window" 2>/dev/null | awk '/Width:|Height:/ {printf "%s", $NF (/Width/ ? "x" : "")}'; }
follows() {  # wait until the kiosk window has size $1
  for _ in $(seq 50); do [ "$(size)" = "$1" ] && return 0; sleep 0.2; done
  return 1
}
follows 1920x1080 && echo "ok: full-screen 1920x1080 at start" || fail "start size $(size)"
for target in 1080x1920 1280x720 1920x1080; do
  DISPLAY=$HOST xdotool windowsize "$nested" "${target%x*}" "${target#*x}"
  # Xephyr applies a window resize to its screen only when a client asks RandR for the
  # screen resources (a real X server does it on the monitor's hotplug event); ask once.
  sleep 0.5
  DISPLAY=$INNER xrandr --query >/dev/null 2>&1
  if follows "$target"; then
    echo "ok: screen became $target and the kiosk followed"
  else
    fail "screen became $target but the kiosk window is $(size)"
  fi
done
kill -0 "$kiosk" 2>/dev/null && echo "ok: same process throughout (no restart)" \
  || fail "the kiosk exited"
kill "$kiosk" "$xephyr_pid" "$host_pid" 2>/dev/null
[ "$failures" = 0 ] || { echo "--- kiosk log:"; cat "$WORK/kiosk.log"; }
rm -rf "$WORK"
exit "$failures"
