"""A short run of the accelerated soak (``make soak`` runs 1,000 visits and 10,000 slide
changes): the real kiosk on a private Xvfb, xdotool visitors, a tap during start-up."""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.soak import parser, run, summary  # noqa: E402

pytestmark = [
    pytest.mark.gui,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
    ),
]


def test_short_soak_passes_every_check(seed_db_path):
    args = parser().parse_args(
        ["--db", str(seed_db_path), "--visits", "4", "--slide-changes", "30"]
        + ["--no-memory-verdict", "--every", "1", "--max-minutes", "3"]
    )
    report = run(args)
    failed = [name for name, ok in report["verdicts"] if not ok]
    assert not failed, summary(report)
    assert report["visits"] >= 4 and report["slide_changes"] >= 30
