"""The accelerated soak (``make soak``): the real kiosk on a private Xvfb, xdotool visitors.

The real ``kiosk run`` (fullscreen kiosk mode) runs with ``--time-scale`` (its slide and
visitor timers run that many times faster; animations keep real time, so slides change
during their own fades and reveals). xdotool plays visitors: one taps right after the
first frame (start-up), then, in turn, the attract loop runs for a few slides (sometimes a
tap lands in the middle of a slide change) and a visitor comes: a tap, then taps on tiles,
random points and the top bar, swipes and double taps, then walks away. Each visit is
waited out until the kiosk logs ``-> attract`` again.

The kiosk's PSS is sampled; the growth after the warm-up is reported per real hour and per
simulated day (the kiosk lives through ``time-scale`` simulated hours per real hour).
Checks: no traceback, the same process alive at the end, every visit woke the kiosk and
went back to the attract loop, the slide changes and visits asked for happened, PSS growth
after warm-up under ``--max-mib-per-day`` per simulated day. One summary line.

    .venv/bin/python -m benchmarks.soak                     (make soak: 10,000 slide changes,
                                                             1,000 visits; about 2 hours)
    .venv/bin/python -m benchmarks.soak --visits 20 --slide-changes 200   (a few minutes)
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

from benchmarks import external
from benchmarks.procstat import machine_facts
from benchmarks.soak_visitors import (
    CRASH_MARKERS,
    EXPECTED_WARNINGS,
    Driver,
    memory_trend,
    parse_log,
    sample_loop,
)

ROOT = Path(__file__).resolve().parents[1]
SLIDE_S = 12.0  # the shipped playlist's usual slide length, in simulated seconds


class LogWatch:
    """Counts, as the kiosk writes them, the lines the soak waits for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self.first_frame = False
        self.woke = 0
        self.back = 0
        self.slides = 0
        self.tracebacks = 0

    def update(self) -> None:
        with self.path.open(errors="replace") as handle:
            handle.seek(self._offset)
            chunk = handle.read()
        end = chunk.rfind("\n") + 1
        self._offset += len(chunk[:end].encode("utf-8", "replace"))
        for line in chunk[:end].splitlines():
            self.first_frame |= "first frame in" in line
            self.woke += "state attract -> explore" in line
            self.back += " -> attract" in line
            self.slides += "slide change " in line
            self.tracebacks += any(m in line for m in CRASH_MARKERS)

    def wait(self, condition, timeout_s: float, proc) -> bool:
        end = time.monotonic() + timeout_s
        while time.monotonic() < end and proc.poll() is None:
            self.update()
            if condition():
                return True
            time.sleep(0.05)
        self.update()
        return condition()


def visit(driver: Driver, rng: random.Random, idle_real_s: float) -> dict:
    """One visitor: a tap to wake the kiosk, then some steps, each well inside the idle
    timeout (real seconds); returns what they did."""
    driver.tap(*driver.random_point())
    actions: dict[str, int] = {}
    for _ in range(rng.choice((0, 1, 2, 4, 8))):
        time.sleep(rng.uniform(0.05, min(0.6, idle_real_s / 3)))
        kind = driver.step()
        actions[kind] = actions.get(kind, 0) + 1
    return actions


def run(args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    db = tmp / "content.db"
    if args.db:
        shutil.copy2(args.db, db)
    else:
        from kiosk.store import build_db

        build_db(db, ROOT / "db")
    config = tmp / "kiosk.toml"
    # DEBUG: one line per slide change, which the soak counts as it goes.
    config.write_text(f'countdown_s = {args.countdown}\nlog_level = "DEBUG"\nlog_dir = ""\n')
    log_path = tmp / "kiosk.log"
    width, height = (int(v) for v in args.size.split("x"))
    scale = args.time_scale
    idle_real = args.idle_timeout / scale
    back_real = (args.idle_timeout + args.countdown) / scale
    rng = random.Random(args.seed)
    report: dict = {"machine": machine_facts(), "started": datetime.now().isoformat("T", "seconds")}
    report["settings"] = {k: v for k, v in vars(args).items() if k != "out"}
    samples: list[dict] = []
    visits = lost = 0
    actions: dict[str, int] = {}
    with external.xvfb(f"{args.size}x24", reuse=False) as display, log_path.open("w") as log:
        env = external._env(display)
        env.pop("JOURNAL_STREAM", None)
        cmd = [sys.executable, "-m", "kiosk", "run", "--db", str(db), "--config", str(config)]
        cmd += ["--idle-timeout", str(args.idle_timeout), "--time-scale", str(scale)]
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        watch = LogWatch(log_path)
        driver = Driver(display, width, height, rng)
        stop = threading.Event()
        sampler = threading.Thread(target=sample_loop, args=(proc.pid, samples, stop, args.every))
        start = time.monotonic()
        deadline = start + args.max_minutes * 60
        if watch.wait(lambda: watch.first_frame, 60, proc):
            sampler.start()
            time.sleep(rng.uniform(0.05, 0.5))  # a visitor touches during start-up
            while proc.poll() is None and time.monotonic() < deadline:
                visits += 1
                for kind, n in visit(driver, rng, idle_real).items():
                    actions[kind] = actions.get(kind, 0) + n
                if not watch.wait(lambda v=visits: watch.back >= v, back_real + 15, proc):
                    lost += 1
                    break
                if visits >= args.visits and watch.slides >= args.slide_changes:
                    break
                # The attract loop for a few slides; the next visitor's tap lands wherever
                # the slideshow is then (often in the middle of a change).
                target = watch.slides + rng.randint(1, round(2 * args.attract_slides))
                watch.wait(lambda t=target: watch.slides >= t, 60 * SLIDE_S / scale + 30, proc)
                time.sleep(rng.uniform(0, SLIDE_S / scale))
        alive = proc.poll() is None
        stop.set()
        if sampler.is_alive():
            sampler.join()
        if alive:
            proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
    lines = log_path.read_text(errors="replace").splitlines()
    parsed = parse_log(lines)
    changes = next(
        (
            int(line.rsplit(", ", 1)[1].split()[0])
            for line in reversed(lines)
            if "slide changes)" in line
        ),
        0,
    )
    minutes = (time.monotonic() - start) / 60
    trend = memory_trend(samples, args.warmup_frac * minutes * 60, "pss_kib")
    per_day = trend.get("slope_mib_per_h", 0.0) * 24 / scale
    unexpected = [
        line for line in parsed["serious"] if not any(e in line for e in EXPECTED_WARNINGS)
    ]
    unexpected = [line for line in unexpected if "time runs" not in line]
    report.update(
        {
            "real_minutes": round(minutes, 1),
            "simulated_hours": round(minutes / 60 * scale, 1),
            "alive_at_end_same_pid": alive,
            "exit_code_after_sigterm": code,
            "visits": visits,
            "visits_not_back": lost,
            "actions": actions,
            "slide_changes": changes,
            "attract_to_explore": parsed["attract_to_explore"],
            "to_attract": parsed["to_attract"],
            "tracebacks": parsed["tracebacks"],
            "unexpected_warnings": unexpected[:50],
            "pss_mib": trend,
            "pss_growth_mib_per_simulated_day": round(per_day, 2),
            "xdotool_errors": driver.errors,
            "log_file": str(log_path),
        }
    )
    report["verdicts"] = verdicts(report, args)
    return report


def verdicts(report: dict, args) -> list[tuple[str, bool]]:
    visits = report["visits"]
    return [
        ("same process alive until SIGTERM", report["alive_at_end_same_pid"]),
        ("no traceback", not report["tracebacks"]),
        ("no unexpected warning", not report["unexpected_warnings"]),
        (
            "every visit woke the kiosk and went back to attract",
            report["visits_not_back"] == 0
            and report["attract_to_explore"] == visits == report["to_attract"],
        ),
        (f"at least {args.visits} visits", visits >= args.visits),
        (
            f"at least {args.slide_changes} slide changes",
            report["slide_changes"] >= args.slide_changes,
        ),
        (
            f"PSS growth after warm-up under {args.max_mib_per_day} MiB per simulated day",
            args.no_memory_verdict
            or report["pss_growth_mib_per_simulated_day"] < args.max_mib_per_day,
        ),
    ]


def summary(report: dict) -> str:
    pss = report["pss_mib"]
    failed = [name for name, ok in report["verdicts"] if not ok]
    return (
        f"soak: {report['visits']} visits ({report['to_attract']} back in attract), "
        f"{report['slide_changes']} slide changes, {report['real_minutes']} min real = "
        f"{report['simulated_hours']} h simulated; PSS {pss.get('after_warmup')} -> "
        f"{pss.get('end')} MiB (max {pss.get('max')}), "
        f"{report['pss_growth_mib_per_simulated_day']:+.2f} MiB per simulated day after warm-up; "
        f"{len(report['tracebacks'])} tracebacks; "
        + ("all checks passed" if not failed else f"FAILED: {'; '.join(failed)}")
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", type=Path, default=None, help="content DB (default: built from db/)")
    p.add_argument("--visits", type=int, default=1000)
    p.add_argument("--slide-changes", type=int, default=10_000)
    p.add_argument("--time-scale", type=float, default=40.0)
    p.add_argument("--idle-timeout", type=float, default=60.0, help="simulated seconds")
    p.add_argument("--countdown", type=float, default=10.0, help="simulated seconds")
    p.add_argument("--attract-slides", type=float, default=10.0, help="mean slides between visits")
    p.add_argument("--size", default="1920x1080")
    p.add_argument("--every", type=float, default=5.0, help="seconds between PSS samples")
    p.add_argument("--warmup-frac", type=float, default=0.2)
    p.add_argument("--max-minutes", type=float, default=300.0)
    p.add_argument("--max-mib-per-day", type=float, default=5.0)
    p.add_argument("--no-memory-verdict", action="store_true", help="short runs: report only")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=None, help="write the report as JSON here")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if shutil.which("xdotool") is None:
        print("soak: needs xdotool (packaging/system-deps.sh test)", file=sys.stderr)
        return 2
    report = run(args)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    for name, ok in report["verdicts"]:
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    print(summary(report))
    return 0 if all(ok for _, ok in report["verdicts"]) else 1


if __name__ == "__main__":
    sys.exit(main())
