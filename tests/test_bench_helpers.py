"""The benchmark helpers compute what they claim (no timings are asserted here)."""

import os
import sys
from pathlib import Path

import pytest

# benchmarks/ is not an installed package; pytest's importlib mode does not add the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.external import FIRST_FRAME
from benchmarks.procstat import cpu_seconds, memory_kib, percentile, slope, summary
from benchmarks.run import verdicts


def test_slope_and_percentile():
    assert slope([0, 100, 200, 300], [10, 20, 30, 40]) == pytest.approx(0.1)
    assert slope([5], [1]) == 0.0 and slope([1, 1], [2, 3]) == 0.0
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile([0, 10], 95) == pytest.approx(9.5)
    assert summary([4.0, 1.0, 2.0])["median"] == 2.0 and summary([]) == {}


def test_proc_readings_of_this_process():
    mem = memory_kib(os.getpid())
    assert mem["rss"] >= mem["pss"] > 0
    before = cpu_seconds()
    sum(i * i for i in range(300_000))
    assert cpu_seconds() >= before >= 0


def test_first_frame_line_is_parsed():
    line = "2026-11-22 22:00:02,082 INFO kiosk: first frame in 490 ms"
    assert FIRST_FRAME.search(line).group(1) == "490"


def test_verdicts_flag_growth_over_the_limit():
    report = {
        "slide_changes": {
            "changes": 3000,
            "live_rss_slope_kib_per_1000": 2048.0,
            "live_rss_growth_mib": 6.0,
            "rss_growth_mib": 9.0,
            "pss_max_mib": 140.0,
        }
    }
    [(what, _, ok)] = verdicts(report, max_growth_mib=3.0)
    assert what.startswith("live memory") and ok is False
    report["slide_changes"]["live_rss_growth_mib"] = 0.5
    assert verdicts(report, max_growth_mib=3.0)[0][2] is True
