#!/usr/bin/env bash
# Is a tap right after start-up answered? Starts the real kiosk (a fresh process per tap)
# on a private Xvfb and taps with xdotool 0.1, 0.5, 1.0 and 1.5 s after its first frame.
#   packaging/check-startup-tap.sh [DB]        (default: var/content.db)
# Exits 1 if any tap was lost; needs Xvfb and xdotool (packaging/system-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
exec "$PY" -m benchmarks.startup_tap --db "${1:-var/content.db}"
