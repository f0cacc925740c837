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


@pytest.mark.gui
def test_visitor_soak_runs_two_visits_and_counts_them(tmp_path):
    """benchmarks/visits.py drives real visits: both end in the attract loop, both counted."""
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs a display (make test: Xvfb)")
    from benchmarks.visits import run
    from kiosk.store import build_db
    from kiosk.store.stats import StatsStore, default_stats_path
    from kiosk.system.paths import seed_dir

    db = tmp_path / "content.db"
    build_db(db, seed_dir())
    report = run(db, sessions=2, every=1)
    assert report["not_back_in_attract"] == 0
    assert [s["n"] for s in report["samples"]] == [1, 2]
    with StatsStore(default_stats_path(db), readonly=True) as store:
        summary = store.summary()
    assert summary["sessions"] == 2 and summary["idle_resets"] == 2
    assert set(summary["screens"]) >= {"timeline", "indicators", "awards"}


def test_soak_visitors_parses_the_kiosk_log_and_the_samples():
    """The long visitor soak's log parsing, attract-only CPU and memory trend."""
    from benchmarks.soak_visitors import attract_spans, cpu_share, memory_trend, parse_log

    log = [
        "2026-11-30 13:37:38,927 WARNING kiosk.lockdown: lock-down on; staff exit DISABLED",
        "2026-11-30 13:37:52,000 INFO kiosk.visitor: state attract -> explore",
        "2026-11-30 13:38:38,000 INFO kiosk.visitor: state explore -> countdown",
        "2026-11-30 13:38:41,000 INFO kiosk.visitor: state countdown -> attract",
        "Traceback (most recent call last):",
        "2026-11-30 13:38:50,000 ERROR kiosk: boom",
    ]
    parsed = parse_log(log)
    assert parsed["attract_to_explore"] == 1 and parsed["to_attract"] == 1
    assert len(parsed["serious"]) == 2 and parsed["tracebacks"][0]["line"] == 5
    t0 = parsed["transitions"][0][0]
    spans = attract_spans(parsed["transitions"], t0 - 100, t0 + 100)
    assert spans == [(t0 - 100, t0), (t0 + 49, t0 + 100)]
    # 10 s samples: 2 % of a core in the attract loop, 20 % during the visit.
    samples, cpu = [], 0.0
    for i in range(21):
        wall = t0 - 100 + 10 * i
        samples.append({"t": 10 * i, "wall": wall, "cpu_s": cpu, "pss_kib": 1024 * (100 + i)})
        cpu += 0.2 if t0 - 100 + 10 * i < t0 - 0.5 or wall >= t0 + 50 else 2.0
    assert cpu_share(samples, spans, touches=[t0 + 75]) == pytest.approx(2.0)
    assert cpu_share(samples) > 2.0
    trend = memory_trend(samples, warmup_s=100, key="pss_kib")
    assert trend["start"] == 100 and trend["after_warmup"] == 110 and trend["end"] == 120
    assert trend["slope_mib_per_h"] == pytest.approx(360.0)
