"""Measure the kiosk against its performance budget; write a JSON and a Markdown report.

Budget (the Chart.js-in-Chromium alternative needs ~490 MiB and 28 % of a core on a
2-core box): PSS <= 150 MiB, <= 14 % of one core averaged over the slideshow, first frame
<= 300 ms from process start, animation steps within a 60 fps frame (16.7 ms of work, as
Xvfb has no vsync), and flat memory over thousands of slide changes.

    make bench                      # all parts, results in benchmarks/results/
    .venv/bin/python benchmarks/run.py --db var/content.db --only first_frame,soak

Parts: first_frame (a), soak (b), inprocess = slide changes, content reloads, frame
times and a start-up profile (c, d), imports (``-X importtime``). Exit code 1 when memory
grows over the slide changes by more than --max-growth-mib (a leak), 2 on a broken run.
Timings are reported, not asserted: they depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script by `make bench`
    sys.path.insert(0, str(ROOT))

from benchmarks import external  # noqa: E402
from benchmarks.procstat import machine_facts  # noqa: E402

PARTS = ("first_frame", "soak", "inprocess", "imports", "frames4k")
BUDGET = {
    "pss_mib": 150,
    "cpu_percent_of_one_core": 14,
    "first_frame_ms": 300,
    "frame_ms": 1000 / 60,
}


def _inprocess(db: Path, display: str, args, size="1920x1080", full=True) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "inprocess.json"
        cmd = [sys.executable, "-m", "benchmarks.inprocess", "--db", str(db), "--out", str(out)]
        cmd += ["--size", size, "--changes", str(args.changes if full else 0)]
        cmd += ["--reloads", str(args.reloads if full else 0)]
        env = external._env(display)
        proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not out.exists():
            tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
            return {"error": f"in-process benchmark failed ({proc.returncode}): {tail}"}
        return json.loads(out.read_text())


def _cycle_seconds(db: Path) -> float:
    from kiosk.content.playlist import active_entries, duration_of
    from kiosk.store import load_content

    content = load_content(db)
    return sum(duration_of(e, 12.0) for e in active_entries(content, dt.date.today()))


def measure(args) -> dict:
    # Work on a copy: the benchmark commits to the DB (live-update cost) and the kiosk
    # creates visits.db beside it; neither may touch the DB it was pointed at.
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "content.db"
        source = sqlite3.connect(f"{args.db.resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(db)
        source.backup(target)
        source.close()
        target.close()
        report = _measure(args, db)
    report["db"] = str(args.db.resolve())
    return report


def _measure(args, db: Path) -> dict:
    report: dict = {
        "when_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": machine_facts(),
        "budget": BUDGET,
        "db": str(db),
        "extra_env": dict(external.EXTRA_ENV),
    }
    parts = args.only.split(",") if args.only else list(PARTS)
    report["size"] = args.size
    screen = f"{args.size}x24"
    with external.xvfb(screen, reuse=args.size == "1920x1080") as display:
        report["display"] = display
        if "first_frame" in parts:
            report["first_frame"] = external.first_frame(
                db, display, runs=args.runs, size=args.size
            )
        if "soak" in parts:
            seconds = args.soak or min(180.0, max(60.0, _cycle_seconds(db)))
            report["soak"] = external.soak(db, display, seconds=seconds, size=args.size)
            report["soak"]["playlist_cycle_s"] = _cycle_seconds(db)
        if "imports" in parts:
            report["imports"] = external.import_profile(db, display)
        if "inprocess" in parts:
            report.update(_inprocess(db, display, args))
    if "frames4k" in parts:
        # A 43-65" lobby panel is often 4K: software rendering pays for every pixel.
        with external.xvfb("3840x2160x24", reuse=False) as display:
            found = _inprocess(db, display, args, size="3840x2160", full=False)
            report["frame_times_4k"] = found.get("frame_times", found)
    return report


def verdicts(report: dict, max_growth_mib: float) -> list[tuple[str, str, bool | None]]:
    """(what, measured, within budget?) rows; None when not measured."""
    rows: list[tuple[str, str, bool | None]] = []
    ff = report.get("first_frame", {}).get("logged", {})
    if ff:
        rows.append(
            (
                "first frame (median of logged)",
                f"{ff['median']:.0f} ms (max {ff['max']:.0f})",
                ff["median"] <= BUDGET["first_frame_ms"],
            )
        )
    soak = report.get("soak", {})
    if "pss_mib" in soak:
        rows.append(
            (
                f"PSS while running ({soak['seconds']:.0f} s, {report.get('size')})",
                f"median {soak['pss_mib']['median']} MiB, max {soak['pss_mib']['max']} MiB",
                soak["pss_mib"]["max"] <= BUDGET["pss_mib"],
            )
        )
        rows.append(
            (
                "CPU, share of one core",
                f"{soak['cpu_percent_of_one_core']} %",
                soak["cpu_percent_of_one_core"] <= BUDGET["cpu_percent_of_one_core"],
            )
        )
    for key, label in (("frame_times", "1920x1080"), ("frame_times_4k", "3840x2160")):
        ft = report.get(key, {})
        if "all" not in ft:
            continue
        rows.append(
            (
                f"animation frame (step + paint), all slides, {label}",
                f"median {ft['all']['median']:.1f} ms, p95 {ft['all']['p95']:.1f} ms, "
                f"{100 * ft['within_16_7ms']:.0f} % within 16.7 ms",
                ft["all"]["p95"] <= BUDGET["frame_ms"],
            )
        )
    sc = report.get("slide_changes", {})
    if sc:
        rows.append(
            (
                f"live memory over {sc['changes']} slide changes (after warm-up)",
                f"{sc['live_rss_slope_kib_per_1000']} KiB per 1,000 changes, "
                f"{sc['live_rss_growth_mib']} MiB in all; held by the heap: "
                f"{sc['rss_growth_mib']} MiB, PSS max {sc['pss_max_mib']} MiB",
                sc["live_rss_growth_mib"] <= max_growth_mib,
            )
        )
    cr = report.get("content_reloads", {})
    if cr:
        rows.append(
            (
                f"live memory over {cr['reloads']} content reloads (every slide rebuilt)",
                f"{cr['live_rss_slope_kib_per_100']} KiB per 100 reloads after warm-up, "
                f"{cr['live_rss_growth_mib']} MiB after warm-up "
                f"({cr['rss_growth_incl_warmup_mib']} MiB with it); held by the heap: "
                f"{cr['rss_growth_mib']} MiB, PSS max {cr['pss_max_mib']} MiB",
                cr["live_rss_growth_mib"] <= max_growth_mib,
            )
        )
    return rows


def markdown(report: dict, rows) -> str:
    m = report["machine"]
    lines = [
        f"# Kiosk benchmark, {report['when_utc']} UTC",
        "",
        f"Machine: {m.get('cpu')} ({m.get('cores')} cores), {m.get('mem_mib')} MiB RAM, "
        f"{m.get('os')}, kernel {m.get('kernel')}; Python {m.get('python')}, "
        f"PySide6 {m.get('pyside6-essentials') or m.get('pyside6')}, "
        f"pyqtgraph {m.get('pyqtgraph')}; display: Xvfb (software rendering, no vsync); "
        f"load average at start {m.get('loadavg_1_5_15')}."
        + (f" Extra environment: {report['extra_env']}." if report.get("extra_env") else ""),
        "",
        "| what | measured | budget |",
        "|---|---|---|",
    ]
    for what, measured, ok in rows:
        mark = "n/a" if ok is None else ("within" if ok else "**over**")
        lines.append(f"| {what} | {measured} | {mark} |")
    for name, label in (("frame_times", "1920x1080"), ("frame_times_4k", "3840x2160")):
        ft = report.get(name, {}).get("per_slide", {})
        if not ft:
            continue
        lines += ["", f"## Animation step + repaint per slide (ms, {label})", ""]
        lines += [
            "Frame = set_progress(t) + Qt painting the dirty regions and flushing to X; "
            "full repaint = the whole slide repainted (upper bound).",
            "",
            "| slide | frame median | p95 | max | within 16.7 ms | set_progress median "
            "| full repaint median |",
            "|---|---|---|---|---|---|---|",
        ]
        for key, v in ft.items():
            w = v["wall_ms"]
            full = v.get("full_repaint_ms", {}).get("median", float("nan"))
            lines.append(
                f"| {key} | {w['median']:.1f} | {w['p95']:.1f} | {w['max']:.1f} | "
                f"{100 * v['within_16_7ms']:.0f} % | {v['set_progress_ms']['median']:.2f} | "
                f"{full:.1f} |"
            )
    profile = report.get("startup_profile")
    if profile:
        lines += [
            "",
            f"In-process build to first paint: {profile['build_to_first_paint_ms']} ms under "
            f"cProfile; pyqtgraph imported before it: {report.get('pyqtgraph_before_first_paint')}"
            f"; PSS right after start {report.get('pss_after_start_mib')} MiB.",
        ]
    first = report.get("first_seconds")
    if first:
        lines.append(
            f"First {first['seconds']:.0f} s after the first frame (post-first-frame services "
            f"running, first reveal playing): longest GUI-thread stall "
            f"{first['longest_stall_ms']} ms at +{first['longest_stall_at_ms']} ms; "
            f"stalls over 50 ms: {first['stalls_over_50ms'] or 'none'}; chart warm-up "
            f"{first.get('chart_warmup_prebuild_ms', 'n/a')} ms, explore mode build "
            f"{first.get('explore_attach_ms', 'n/a')} ms."
        )
    change = report.get("content_change", {})
    if "reload_ms" in change:
        lines.append(
            f"Live update on the GUI thread: idle poll median {change['idle_poll_ms']['median']}"
            f" ms; poll after a commit (read, validate, build) median "
            f"{change['reload_ms']['median']} ms, max {change['reload_ms']['max']} ms."
        )
    fade = report.get("frame_times", {}).get("crossfade", {}).get("wall_ms")
    if fade:
        lines.append(
            f"Cross-fade step + repaint: median {fade['median']:.1f} ms, p95 {fade['p95']:.1f} ms."
        )
    imports = report.get("imports", {}).get("top_imports", [])
    if imports:
        lines += ["", "## Slowest top-level imports of a short run (cumulative ms)", ""]
        lines += [f"- {i['module']}: {i['cumulative_ms']} ms" for i in imports[:8]]
    for key in ("first_frame", "soak", "inprocess"):
        failures = report.get(key, {}).get("failures") or report.get(key, {}).get("error")
        if failures:
            lines += ["", f"Problems in {key}: {failures}"]
    if report.get("error"):
        lines += ["", f"Problem: {report['error']}"]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "content.db")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--only", default="", help=f"comma-separated parts of: {PARTS}")
    parser.add_argument("--size", default="1920x1080", help="window size for first_frame, soak")
    parser.add_argument("--runs", type=int, default=5, help="first-frame runs")
    parser.add_argument("--soak", type=float, default=0, help="seconds (default: one cycle)")
    parser.add_argument("--changes", type=int, default=3000)
    parser.add_argument("--reloads", type=int, default=100)
    parser.add_argument("--max-growth-mib", type=float, default=3.0)
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="environment for the measured kiosk, e.g. MALLOC_MMAP_THRESHOLD_=131072",
    )
    args = parser.parse_args(argv)
    external.EXTRA_ENV.update(item.split("=", 1) for item in args.env)
    if not args.db.is_file():
        print(f"no content DB at {args.db}; run 'make db' first", file=sys.stderr)
        return 2
    report = measure(args)
    rows = verdicts(report, args.max_growth_mib)
    report["verdicts"] = [{"what": w, "measured": m, "within": ok} for w, m, ok in rows]
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    (args.out / f"bench-{stamp}.json").write_text(json.dumps(report, indent=1))
    text = markdown(report, rows)
    (args.out / f"bench-{stamp}.md").write_text(text)
    print(text)
    print(f"written: {args.out / f'bench-{stamp}.md'} (.json beside it)")
    leak = [w for w, _, ok in rows if w.startswith("live memory") and ok is False]
    if leak:
        print(f"MEMORY GROWS: {'; '.join(leak)} exceeds {args.max_growth_mib} MiB", file=sys.stderr)
        return 1
    broken = [k for k in ("first_frame", "soak") if report.get(k, {}).get("error")]
    return 2 if broken or report.get("error") else 0


if __name__ == "__main__":
    sys.exit(main())
