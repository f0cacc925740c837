"""Measure the staff studio with 2,000 milestones against its budget.

Budget (issue 11): list and edit pages <= 150 ms p95 of server time; a preview of every
slide at one size <= 15 s; a publish <= 2 s. Server time is measured in process with
Flask's test client (no network, no browser), which is what the studio itself spends.

    .venv/bin/python benchmarks/studio_bench.py            # report on stdout
    .venv/bin/python benchmarks/studio_bench.py --json out.json
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUDGET_MS = {"list_p95": 150, "edit_get_p95": 150, "edit_save_p95": 150}
BUDGET_S = {"preview_all_slides": 15, "publish": 2}
CATEGORIES = ("policy", "event", "project", "infrastructure", "award")


def seed_with_milestones(seed: Path, out: Path, count: int) -> Path:
    """The shipped db/ plus ``count`` generated milestones (valid dates and sources)."""
    shutil.copytree(seed, out)
    with (out / "milestones.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for n in range(count):
            year = 2000 + n % 26
            writer.writerow(
                [
                    f"m_bench_{n:05d}",
                    f"{year}-{1 + n % 12:02d}-01",
                    "month",
                    f"Cột mốc thử số {n} năm {year}",
                    f"Benchmark milestone {n} of {year}",
                    "Nội dung mô tả cột mốc để đo tốc độ của xưởng nội dung.",
                    "A description of the milestone to measure the studio's speed.",
                    CATEGORIES[n % len(CATEGORIES)],
                    "art003",
                    "",
                ]
            )
    return out


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def timed(function, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--milestones", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    from kiosk.store import studio_draft as draft
    from kiosk.studio.app import create_app, studio_of
    from kiosk.studio.passwords import hash_password
    from kiosk.system.paths import seed_dir

    results: dict = {"milestones": args.milestones}
    with tempfile.TemporaryDirectory() as tmp:
        seed = seed_with_milestones(seed_dir(), Path(tmp) / "seed", args.milestones)
        app = create_app(Path(tmp) / "data", seed_dir=seed)
        app.config["WTF_CSRF_ENABLED"] = False  # the benchmark measures pages, not tokens
        studio = studio_of(app)
        studio.db.add_user("bench", "publisher", hash_password("benchmark password"))
        client = app.test_client()
        client.post("/login", data={"name": "bench", "password": "benchmark password"})

        def ok(response):
            assert response.status_code in (200, 302), response.status_code
            return response

        key = "m_bench_01000"
        results["list_ms"] = timed(lambda: ok(client.get("/c/milestones")), args.repeat)
        results["search_ms"] = timed(
            lambda: ok(client.get("/c/milestones?q=milestone+1999")), args.repeat
        )
        results["edit_get_ms"] = timed(lambda: ok(client.get(f"/c/milestones/{key}")), args.repeat)

        def save():
            row = next(r for r in draft.read_all(studio.draft)["milestones"] if r["key"] == key)
            values = {k: "" if v is None else str(v) for k, v in row.items()}
            values.update(_expect=draft.fingerprint(row), title_en=f"Saved {time.time()}")
            start = time.perf_counter()
            ok(client.post(f"/c/milestones/{key}", data=values))
            return (time.perf_counter() - start) * 1000

        results["edit_save_ms"] = [save() for _ in range(args.repeat)]

        start = time.perf_counter()
        while "hx-trigger" in ok(client.get("/preview/status?size=1920x1080&lang=vi")).get_data(
            as_text=True
        ):
            time.sleep(0.2)
        results["preview_all_slides_s"] = time.perf_counter() - start
        slides = list(studio.preview_dir.glob("*/slides/*.png"))
        results["preview_slides"] = len(slides)

        start = time.perf_counter()
        ok(client.post("/publish", data={"note": "benchmark"}))
        results["publish_s"] = time.perf_counter() - start
        from kiosk.fleet import channel

        assert channel.current(studio.channel) is not None, "publish did not happen"

    summary = {
        "list_p95_ms": p95(results["list_ms"]),
        "search_p95_ms": p95(results["search_ms"]),
        "edit_get_p95_ms": p95(results["edit_get_ms"]),
        "edit_save_p95_ms": p95(results["edit_save_ms"]),
        "preview_all_slides_s": results["preview_all_slides_s"],
        "preview_slides": results["preview_slides"],
        "publish_s": results["publish_s"],
    }
    checks = {
        "list_p95": summary["list_p95_ms"] <= BUDGET_MS["list_p95"],
        "edit_get_p95": summary["edit_get_p95_ms"] <= BUDGET_MS["edit_get_p95"],
        "edit_save_p95": summary["edit_save_p95_ms"] <= BUDGET_MS["edit_save_p95"],
        "preview_all_slides": summary["preview_all_slides_s"] <= BUDGET_S["preview_all_slides"],
        "publish": summary["publish_s"] <= BUDGET_S["publish"],
    }
    for name, value in summary.items():
        print(f"{name:24} {value:10.1f}")
    for name, passed in checks.items():
        print(f"{name:24} {'within budget' if passed else 'OVER BUDGET'}")
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "within_budget": checks}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
