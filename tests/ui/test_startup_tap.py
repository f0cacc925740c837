"""A tap right after start-up is answered: the real ``kiosk run`` on Xvfb, tapped by xdotool.

Each delay is a fresh process on a private Xvfb (``benchmarks/startup_tap.py``); every tap
after the first frame must log ``state attract -> explore``, without a traceback.
"""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.startup_tap import DEFAULT_DELAYS, check  # noqa: E402

pytestmark = [
    pytest.mark.gui,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
    ),
]


def test_every_tap_after_the_first_frame_is_answered(seed_db_path, tmp_path):
    db = tmp_path / "content.db"
    shutil.copy2(seed_db_path, db)  # visit statistics are written beside it
    results = check(db, DEFAULT_DELAYS)
    lost = [(r["delay_s"], r.get("error"), r["log_tail"]) for r in results if not r["answered"]]
    assert not lost, f"taps lost after start-up: {lost}"
    assert all(r["tracebacks"] == 0 for r in results), results
