"""Is a tap right after start-up answered? The real ``kiosk run`` on a private Xvfb, xdotool.

For each delay, a fresh kiosk process is started (``--windowed --size 1920x1080``); when it
logs ``first frame in N ms`` the script waits the delay, moves the pointer away and back
and clicks at the centre of the screen (as a touch panel reporting itself as a mouse does),
then waits for ``state attract -> explore``. Every tap after the first frame must be
answered, so every delay must see the line.

    .venv/bin/python -m benchmarks.startup_tap --db var/content.db --delays 0.1 0.5 1.0 1.5

Prints one line per delay and a summary line; exits 1 if any tap was lost. Used by
``tests/ui/test_startup_tap.py`` (in ``make test``) and ``packaging/check-startup-tap.sh``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks import external

WOKE = "state attract -> explore"
DEFAULT_DELAYS = (0.1, 0.5, 1.0, 1.5)


def _xdotool(display: str, *args: str) -> None:
    env = dict(os.environ, DISPLAY=display)
    subprocess.run(["xdotool", *args], env=env, check=True, capture_output=True, timeout=10)


def tap_after_first_frame(
    db: Path, display: str, delay_s: float, answer_within_s: float = 6.0, size=(1920, 1080)
) -> dict:
    """Start the kiosk, tap ``delay_s`` after its first frame; was the tap answered?"""
    width, height = size
    cmd = external.kiosk_cmd(db, delay_s + answer_within_s + 4, f"{width}x{height}")
    env = external._env(display)
    env.pop("JOURNAL_STREAM", None)
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=external.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    first_frame = threading.Event()
    woke = threading.Event()

    def read() -> None:
        for line in proc.stderr:
            lines.append(line.rstrip())
            if external.FIRST_FRAME.search(line):
                first_frame.set()
            if WOKE in line:
                woke.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = {"delay_s": delay_s, "answered": False, "tapped": False}
    try:
        if not first_frame.wait(30):
            result["error"] = "no first-frame line"
            return result
        seen_at = time.monotonic()
        time.sleep(max(0.0, seen_at + delay_s - time.monotonic()))
        # Away and back, then a click: a panel's first report after idle is often a move.
        _xdotool(display, "mousemove", str(width - 5), str(height - 5))
        _xdotool(display, "mousemove", str(width // 2), str(height // 2), "click", "1")
        result["tapped"] = True
        result["tap_after_s"] = round(time.monotonic() - seen_at, 3)
        result["answered"] = woke.wait(answer_within_s)
        if result["answered"]:
            result["answer_after_tap_s"] = round(time.monotonic() - seen_at - delay_s, 2)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
        result["tracebacks"] = sum("Traceback" in line for line in lines)
        result["log_tail"] = lines[-4:]
    return result


def check(db: Path, delays=DEFAULT_DELAYS, display: str | None = None) -> list[dict]:
    """One fresh kiosk per delay, on ``display`` or a private Xvfb."""
    if display:
        return [tap_after_first_frame(db, display, d) for d in delays]
    with external.xvfb("1920x1080x24", reuse=False) as private:
        return [tap_after_first_frame(db, private, d) for d in delays]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=external.ROOT / "var" / "content.db")
    parser.add_argument("--delays", type=float, nargs="+", default=list(DEFAULT_DELAYS))
    args = parser.parse_args(argv)
    results = check(args.db, args.delays)
    for r in results:
        verdict = "answered" if r["answered"] else "LOST"
        print(f"tap {r['delay_s']:.1f} s after the first frame: {verdict}", r.get("error", ""))
    lost = [r for r in results if not r["answered"] or r["tracebacks"]]
    print(f"startup-tap: {len(results) - len(lost)}/{len(results)} taps answered")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
