#!/usr/bin/env bash
# Lock-down check with REAL X11 input (XTEST, via xdotool) against the built kiosk binary on
# a bare Xvfb screen (no window manager, as on a lobby PC): escape keys and right-click must
# leave the kiosk running, mapped and full-screen; then five taps in the top-left corner and
# the PIN 2580 typed on the on-screen pad must end it with the staff exit code 75.
#   packaging/check-lockdown-x11.sh [path/to/kiosk]     (default: dist/kiosk/kiosk)
#   WM=openbox packaging/check-lockdown-x11.sh           the same under a window manager,
#       which turns Alt+F4 into a close request the kiosk must refuse (and Alt+Tab into
#       window switching, with nothing to switch to)
# Needs: Xvfb, xdotool, xwininfo (x11-utils). Exit status 0 when every check held.
set -u
cd "$(dirname "$0")/.."
BIN=${1:-dist/kiosk/kiosk}
WORK=$(mktemp -d)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$BIN" db build --db "$WORK/content.db" >/dev/null || { echo "FAIL: db build"; exit 1; }
hash=$(printf '2580\n2580\n' | "$BIN" pin 2>/dev/null | sed -n 's/^staff_pin_hash = "\(.*\)"$/\1/p')
printf '[kiosk]\ndb_path = "%s"\nstaff_pin_hash = "%s"\n' "$WORK/content.db" "$hash" \
  > "$WORK/kiosk.toml"
# -displayfd: Xvfb picks a free display number and writes it to fd 3 once it is ready.
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$WORK/display" >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -s "$WORK/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$WORK/display")"
wm=""
if [ -n "${WM:-}" ]; then
  "$WM" >/dev/null 2>&1 &
  wm=$!
  sleep 1
fi
"$BIN" run --config "$WORK/kiosk.toml" >"$WORK/kiosk.log" 2>&1 &
kiosk=$!
for _ in $(seq 50); do
  grep -q "first frame" "$WORK/kiosk.log" && break
  sleep 0.2
done
sleep 1
window=$(xdotool search --pid "$kiosk" 2>/dev/null | tail -n 1)
state() { xwininfo -id "$window" 2>/dev/null | awk '/Width:|Height:|Map State:/ {printf "%s ", $NF}'; }
expected="1920 1080 IsViewable "
[ "$(state)" = "$expected" ] || fail "window not full-screen at start: $(state)"
for keys in Escape alt+F4 ctrl+q ctrl+w F11 alt+Tab super Super_L Menu; do
  xdotool key --clearmodifiers "$keys"
  sleep 0.3
  if ! kill -0 "$kiosk" 2>/dev/null; then fail "$keys ended the kiosk"; break; fi
  [ "$(state)" = "$expected" ] || fail "$keys changed the window: $(state)"
  echo "ok: $keys ignored"
done
if [ -n "$wm" ]; then
  grep -q "close request refused" "$WORK/kiosk.log" \
    && echo "ok: the window manager's close request (Alt+F4) was refused" \
    || fail "no close request reached the kiosk under $WM"
fi
before=$(xdotool search --onlyvisible --name '' 2>/dev/null | wc -l)
xdotool mousemove 900 500 click 3
sleep 0.5
after=$(xdotool search --onlyvisible --name '' 2>/dev/null | wc -l)
[ "$after" = "$before" ] && echo "ok: right-click opened nothing" || fail "right-click opened a window"
# Staff exit. Pad button centres for a 1920x1080 screen: 2, 5, 8, 0, OK.
for _ in 1 2 3 4 5; do xdotool mousemove 10 10 click 1; sleep 0.15; done
sleep 0.5
for xy in "960 359" "960 498" "960 638" "960 778" "1228 778"; do
  # shellcheck disable=SC2086
  xdotool mousemove $xy click 1
  sleep 0.3
done
for _ in $(seq 20); do kill -0 "$kiosk" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$kiosk" 2>/dev/null; then
  fail "staff gesture + PIN did not end the kiosk"
  kill "$kiosk"
else
  wait "$kiosk"
  code=$?
  [ "$code" = 75 ] && echo "ok: staff exit with code 75" || fail "staff exit code $code, not 75"
fi
[ -n "$wm" ] && kill "$wm" 2>/dev/null
kill "$xvfb" 2>/dev/null
[ "$failures" = 0 ] || { echo "--- kiosk log:"; cat "$WORK/kiosk.log"; }
rm -rf "$WORK"
exit "$failures"
