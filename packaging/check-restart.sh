#!/usr/bin/env bash
# The "comes back by itself" check on an installed lobby PC (run as root):
# kills the running kiosk with SIGKILL (a crash) and SIGSTOP (a frozen UI), and times how
# long until systemd has it back: the unit "active" again with a new PID, which for
# Type=notify means the new process drew its first frame and sent READY=1.
#   sudo packaging/check-restart.sh            kiosk.service under the system manager
#   packaging/check-restart.sh --user          a user-manager copy of the unit (testing)
# Fails if any restart takes longer than LIMIT seconds (default 15).
set -euo pipefail
LIMIT=${LIMIT:-15}
UNIT=${UNIT:-kiosk.service}
ctl=(systemctl)
if [ "${1:-}" = --user ]; then ctl=(systemctl --user); fi
show() { "${ctl[@]}" show "$UNIT" -p "$1" --value; }

if [ "$(show ActiveState)" != active ]; then
  echo "check-restart: $UNIT is not active; start it first (systemctl start $UNIT)" >&2
  exit 2
fi
if [ "$(show WatchdogUSec)" = 0 ] || [ "$(show WatchdogUSec)" = infinity ]; then
  echo "check-restart: $UNIT has no WatchdogSec; a frozen kiosk would never come back" >&2
  exit 2
fi
failed=0
for sig in KILL STOP; do
  old=$(show MainPID)
  start=$(date +%s%N)
  kill -"$sig" "$old"
  while :; do
    now=$(date +%s%N)
    elapsed_ms=$(( (now - start) / 1000000 ))
    pid=$(show MainPID)
    if [ "$(show ActiveState)" = active ] && [ "$pid" != "$old" ] && [ "$pid" != 0 ]; then
      break
    fi
    if [ "$elapsed_ms" -gt $(( LIMIT * 1000 + 30000 )) ]; then pid="(none)"; break; fi
    sleep 0.1
  done
  verdict=ok
  if [ "$elapsed_ms" -gt $(( LIMIT * 1000 )) ]; then verdict="TOO SLOW"; failed=1; fi
  printf 'SIG%-4s pid %s -> %s: back after %d.%d s (limit %d s) %s; restarts so far: %s\n' \
    "$sig" "$old" "$pid" $(( elapsed_ms / 1000 )) $(( elapsed_ms % 1000 / 100 )) "$LIMIT" \
    "$verdict" "$(show NRestarts)"
  sleep 3
done
exit "$failed"
