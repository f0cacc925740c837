"""A long soak of the real kiosk process with visitors coming and going (real X input).

``benchmarks/visits.py`` drives visits in-process on a fake clock; this runs the real
``kiosk run`` (fullscreen kiosk mode, real event loop, real timers, real idle timeout) on a
private Xvfb for ``--minutes`` and lets xdotool play visitors: at random intervals a visitor
taps the slideshow, then taps the home tiles, random points and the top bar, sometimes swipes
(mousedown, mousemove, mouseup), and walks away; the kiosk's idle timeout and countdown bring
it back to the attract loop. Some visitors leave after a tap or two, some come back during the
countdown. The app treats the mouse as a touch panel, so clicks stand in for taps.

Every 10 s it samples the kiosk's PSS/RSS (``/proc/PID/smaps_rollup``) and CPU time. The
kiosk's log is captured; the report counts ``state attract -> explore`` / ``-> attract``
lines, lists every line at WARNING or above and every Traceback, and says whether the same
process is still alive at the end. It works on a copy of the DB in a temp dir (visit
statistics are written beside the copy), with a temp config for a short countdown.

    .venv/bin/python -m benchmarks.soak_visitors --db var/content.db --minutes 40

Writes ``benchmarks/results/soak-visitors-YYYYMMDD-HHMM.{json,md}``. Exits 1 when the
kiosk crashed or logged a Traceback, or anonymous memory grows after the warm-up by more than
``--max-growth-mib`` (fitted over the rest of the run) at more than ``--max-slope-mib-h``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from benchmarks import external
from benchmarks.procstat import cpu_seconds, machine_facts, memory_kib, slope

ROOT = Path(__file__).resolve().parents[1]
# "2026-11-30 13:40:01,123 INFO kiosk.visitor: state attract -> explore" (logs._FILE_FORMAT)
LOG_LINE = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<level>[A-Z]+) (?P<name>\S+): (?P<msg>.*)$"
)
STATE = re.compile(r"state (?P<old>\w+) -> (?P<new>\w+)")
SERIOUS = ("WARNING", "ERROR", "CRITICAL")
# Warnings every start logs on purpose (this config sets no staff PIN): listed, not failed.
EXPECTED_WARNINGS = ("staff exit DISABLED",)
CRASH_MARKERS = ("Traceback (most recent call last)", "Fatal Python error")


def parse_log(lines: list[str]) -> dict:
    """Transitions (with wall-clock times), lines at WARNING+ and tracebacks of a kiosk log."""
    transitions, serious, tracebacks = [], [], []
    for number, line in enumerate(lines, 1):
        if any(marker in line for marker in CRASH_MARKERS):
            tracebacks.append({"line": number, "text": line.rstrip()})
        match = LOG_LINE.match(line.rstrip())
        if not match:
            continue
        if match["level"] in SERIOUS:
            serious.append(line.rstrip())
        state = STATE.search(match["msg"])
        if state:
            at = datetime.strptime(match["ts"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            transitions.append((at, state["old"], state["new"]))
    return {
        "transitions": transitions,
        "attract_to_explore": sum(1 for _, o, n in transitions if (o, n) == ("attract", "explore")),
        "to_attract": sum(1 for _, _, n in transitions if n == "attract"),
        "serious": serious,
        "tracebacks": tracebacks,
    }


def attract_spans(transitions: list[tuple[float, str, str]], start: float, end: float):
    """(from, to) wall-clock spans in the attract state; the kiosk starts in attract."""
    spans, since = [], start
    for at, _, new in sorted(transitions):
        if new == "attract" and since is None:
            since = at
        elif new != "attract" and since is not None:
            spans.append((since, at))
            since = None
    if since is not None:
        spans.append((since, end))
    return spans


def cpu_share(samples: list[dict], spans=None, touches: list[float] = ()) -> float | None:
    """CPU % of one core over the sample intervals (only those wholly inside ``spans`` and
    without a touch, when ``spans`` is given)."""
    cpu = wall = 0.0
    for a, b in zip(samples, samples[1:], strict=False):
        if spans is not None:
            inside = any(s <= a["wall"] and b["wall"] <= e for s, e in spans)
            if not inside or any(a["wall"] <= t <= b["wall"] for t in touches):
                continue
        cpu += b["cpu_s"] - a["cpu_s"]
        wall += b["t"] - a["t"]
    return round(100 * cpu / wall, 2) if wall > 0 else None


def memory_trend(samples: list[dict], warmup_s: float, key: str) -> dict:
    """start / after warm-up / max / end in MiB, and the slope per hour after the warm-up."""
    if not samples:
        return {}
    after = [s for s in samples if s["t"] >= warmup_s] or samples[-1:]
    hours = [s["t"] / 3600 for s in after]
    mib = [s[key] / 1024 for s in after]
    per_h = slope(hours, mib)
    return {
        "start": round(samples[0][key] / 1024, 1),
        "after_warmup": round(after[0][key] / 1024, 1),
        "max": round(max(s[key] for s in samples) / 1024, 1),
        "end": round(samples[-1][key] / 1024, 1),
        "slope_mib_per_h": round(per_h, 2),
        "fitted_growth_after_warmup_mib": round(per_h * (hours[-1] - hours[0]), 2),
    }


# ---------------------------------------------------------------- visitors (xdotool)


@dataclass
class Driver:
    display: str
    width: int
    height: int
    rng: random.Random
    touches: list[float] = field(default_factory=list)  # wall-clock time of every input
    errors: list[str] = field(default_factory=list)

    def _xdo(self, *args: str) -> None:
        env = dict(os.environ, DISPLAY=self.display)
        out = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True)
        if out.returncode != 0 and len(self.errors) < 20:
            self.errors.append(f"xdotool {' '.join(args[:4])}: {out.stderr.strip()}")

    def tap(self, x: float, y: float) -> None:
        x, y = int(min(max(x, 1), self.width - 2)), int(min(max(y, 1), self.height - 2))
        self.touches.append(time.time())
        self._xdo("mousemove", str(x), str(y), "click", "1")

    def swipe(self, x: float, y: float, dx: float, dy: float = 0, steps: int = 8) -> None:
        self.touches.append(time.time())
        args = ["mousemove", str(int(x)), str(int(y)), "mousedown", "1"]
        for i in range(1, steps + 1):
            px = min(max(x + dx * i / steps, 1), self.width - 2)
            py = min(max(y + dy * i / steps, 1), self.height - 2)
            args += ["sleep", "0.02", "mousemove", str(int(px)), str(int(py))]
        self._xdo(*args, "mouseup", "1")
        self.touches.append(time.time())

    def random_point(self) -> tuple[float, float]:
        return self.rng.uniform(0, self.width), self.rng.uniform(0, self.height)

    def tile(self) -> tuple[float, float]:
        """The centre of one of the home screen's 2x2 tiles (landscape), roughly."""
        col, row = self.rng.randrange(2), self.rng.randrange(2)
        return self.width * (0.27 + 0.46 * col), self.height * (0.52 + 0.30 * row)

    def top_bar(self) -> tuple[float, float]:
        """Back button (left) or language switch (right) in the top bar, roughly."""
        x = self.rng.choice((0.05, 0.08, 0.92, 0.95)) * self.width
        return x, self.height * 0.05

    def step(self) -> str:
        """One visitor action inside explore mode; returns its name."""
        kind = self.rng.choices(
            ("tile", "random", "swipe", "top_bar", "double"), weights=(4, 4, 3, 2, 1)
        )[0]
        if kind == "tile":
            self.tap(*self.tile())
        elif kind == "random":
            self.tap(*self.random_point())
        elif kind == "top_bar":
            self.tap(*self.top_bar())
        elif kind == "double":
            x, y = self.random_point()
            self.tap(x, y)
            self.tap(x + 3, y + 2)
        else:
            x, y = self.width * self.rng.uniform(0.3, 0.8), self.height * self.rng.uniform(0.3, 0.8)
            sign = self.rng.choice((-1, 1))
            self.swipe(x, y, sign * self.width * self.rng.uniform(0.15, 0.4), 0)
        return kind


def sleep_until(deadline: float, stop: threading.Event) -> bool:
    """Sleep until the monotonic ``deadline``; False when told to stop."""
    return not stop.wait(max(0.0, deadline - time.monotonic()))


def drive_visitors(driver: Driver, end: float, idle_s: float, stop: threading.Event) -> dict:
    """Visitors until the monotonic ``end``; counts what they did."""
    rng = driver.rng
    counts = {"visits": 0, "abandoned": 0, "back_in_countdown": 0, "actions": {}}
    back_after = idle_s  # idle timeout + countdown: then the kiosk is in the attract loop
    while time.monotonic() < end and not stop.is_set():
        # Nobody there: the attract loop runs (long enough to measure it alone, sometimes).
        gap = rng.choices(
            (rng.uniform(3, 20), rng.uniform(20, 60), rng.uniform(60, 150)), weights=(5, 3, 2)
        )[0]
        if not sleep_until(min(time.monotonic() + gap, end), stop) or time.monotonic() > end - 20:
            break
        counts["visits"] += 1
        driver.tap(*driver.random_point())  # wake the slideshow: attract -> explore
        abandoned = rng.random() < 0.25
        steps = rng.randint(0, 2) if abandoned else rng.randint(3, 16)
        counts["abandoned"] += abandoned
        for _ in range(steps):
            if not sleep_until(time.monotonic() + rng.uniform(0.4, 3.0), stop):
                break
            kind = driver.step()
            counts["actions"][kind] = counts["actions"].get(kind, 0) + 1
        # Some walk away, come back while the countdown runs, tap once more and leave.
        if (
            not abandoned
            and rng.random() < 0.15
            and sleep_until(time.monotonic() + idle_s - 1.5, stop)
        ):
            driver.tap(*driver.random_point())
            counts["back_in_countdown"] += 1
        sleep_until(time.monotonic() + back_after + 1.0, stop)  # timeout + countdown
    return counts


# ---------------------------------------------------------------- the run


def sample_loop(pid: int, samples: list, stop: threading.Event, every: float) -> None:
    t0, cpu0 = time.monotonic(), cpu_seconds(pid)
    while True:
        try:
            mem = memory_kib(pid)
            samples.append(
                {
                    "t": round(time.monotonic() - t0, 2),
                    "wall": round(time.time(), 3),
                    "cpu_s": round(cpu_seconds(pid) - cpu0, 3),
                    "pss_kib": mem["pss"],
                    "pss_anon_kib": mem.get("pss_anon", 0),
                    "rss_kib": mem["rss"],
                    "load1": float(Path("/proc/loadavg").read_text().split()[0]),
                }
            )
        except (FileNotFoundError, ProcessLookupError, KeyError):
            return  # the process is gone; the main loop notices
        if stop.wait(every):
            return


def run(args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="soak-visitors-"))
    db = tmp / "content.db"
    shutil.copy2(args.db, db)  # visits.db is written beside this copy, not beside args.db
    config = tmp / "kiosk.toml"
    config.write_text(f'countdown_s = {args.countdown}\nlog_level = "INFO"\nlog_dir = ""\n')
    log_path = tmp / "kiosk.log"
    width, height = (int(v) for v in args.size.split("x"))
    report: dict = {"machine": machine_facts(), "started": datetime.now().isoformat("T", "seconds")}
    report["settings"] = {
        "minutes": args.minutes,
        "size": args.size,
        "idle_timeout_s": args.idle_timeout,
        "countdown_s": args.countdown,
        "seed": args.seed,
        "sample_every_s": args.every,
        "warmup_s": args.warmup,
    }
    with external.xvfb(f"{args.size}x24", reuse=False) as display, log_path.open("w") as log:
        env = external._env(display)
        env.pop("JOURNAL_STREAM", None)  # timestamped log lines, as in a log file
        cmd = [sys.executable, "-m", "kiosk", "run", "--db", str(db), "--config", str(config)]
        cmd += ["--idle-timeout", str(args.idle_timeout)]
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        pid, start_wall = proc.pid, time.time()
        time.sleep(5)  # first frame, then the explore build and chart warm-up
        samples: list[dict] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_loop, args=(pid, samples, stop, args.every))
        sampler.start()
        driver = Driver(display, width, height, random.Random(args.seed))
        end = time.monotonic() + args.minutes * 60
        counts = {}
        try:
            counts = drive_visitors(driver, end, args.idle_timeout + args.countdown, stop)
            while time.monotonic() < end and proc.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            report["interrupted"] = True
        alive = proc.poll() is None and Path(f"/proc/{pid}").exists()
        stop.set()
        sampler.join()
        end_wall = time.time()
        if alive:
            proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
            report["did_not_stop_on_sigterm"] = True
    lines = log_path.read_text(errors="replace").splitlines()
    parsed = parse_log(lines)
    spans = attract_spans(parsed["transitions"], start_wall, end_wall)
    # Back to the attract loop: seconds from the last input to the '-> attract' line.
    back = []
    for at, _, new in parsed["transitions"]:
        before = [t for t in driver.touches if t <= at]
        if new == "attract" and before:
            back.append(round(at - before[-1], 2))
    last_state = parsed["transitions"][-1][2] if parsed["transitions"] else "attract"
    load = [s["load1"] for s in samples]
    report.update(
        {
            "duration_min": round((end_wall - start_wall) / 60, 1),
            "pid": pid,
            "alive_at_end_same_pid": alive,
            "exit_code_after_sigterm": code,
            "visitors": counts,
            "xdotool_errors": driver.errors,
            "log": {
                "lines": len(lines),
                "attract_to_explore": parsed["attract_to_explore"],
                "to_attract": parsed["to_attract"],
                "transitions_by_kind": _by_kind(parsed["transitions"]),
                "state_at_end": last_state,
                "seconds_last_input_to_attract": _minmax(back),
                "warning_or_above": parsed["serious"][:200],
                "warning_or_above_count": len(parsed["serious"]),
                "unexpected_warning_count": sum(
                    1 for line in parsed["serious"] if not any(e in line for e in EXPECTED_WARNINGS)
                ),
                "tracebacks": parsed["tracebacks"],
                "tail": lines[-5:],
            },
            "pss_mib": memory_trend(samples, args.warmup, "pss_kib"),
            "pss_anon_mib": memory_trend(samples, args.warmup, "pss_anon_kib"),
            "rss_mib": memory_trend(samples, args.warmup, "rss_kib"),
            "cpu_percent_of_one_core": {
                "overall": cpu_share(samples),
                "attract_only": cpu_share(samples, spans, driver.touches),
                "attract_only_minutes": round(_covered(samples, spans, driver.touches) / 60, 1),
            },
            "loadavg_1min": _minmax(load),
            "samples": [{k: v for k, v in s.items() if k != "wall"} for s in samples],
            "log_file": str(log_path),
        }
    )
    report["verdicts"] = verdicts(report, args)
    return report


def _by_kind(transitions) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, old, new in transitions:
        out[f"{old} -> {new}"] = out.get(f"{old} -> {new}", 0) + 1
    return out


def _minmax(values: list[float]) -> dict:
    if not values:
        return {}
    ordered = sorted(values)
    return {"min": ordered[0], "median": ordered[len(ordered) // 2], "max": ordered[-1]}


def _covered(samples, spans, touches) -> float:
    total = 0.0
    for a, b in zip(samples, samples[1:], strict=False):
        inside = any(s <= a["wall"] and b["wall"] <= e for s, e in spans)
        if inside and not any(a["wall"] <= t <= b["wall"] for t in touches):
            total += b["t"] - a["t"]
    return total


def verdicts(report: dict, args) -> list[tuple[str, str, bool]]:
    log, anon = report["log"], report["pss_anon_mib"]
    visits = report["visitors"].get("visits", 0)
    growth = anon.get("fitted_growth_after_warmup_mib", 0.0)
    unexpected = log["unexpected_warning_count"]
    per_h = anon.get("slope_mib_per_h", 0.0)
    return [
        ("same process alive at the end", str(report["alive_at_end_same_pid"]),
         report["alive_at_end_same_pid"]),
        ("no Traceback / fatal error in the log", str(len(log["tracebacks"])),
         not log["tracebacks"]),
        ("every visit woke the kiosk and went back to the attract loop",
         f"{visits} visits, {log['attract_to_explore']} attract -> explore, "
         f"{log['to_attract']} -> attract, ends in {log['state_at_end']}",
         log["attract_to_explore"] == visits == log["to_attract"]
         and log["state_at_end"] == "attract"),
        ("anonymous memory after the warm-up",
         f"{per_h:+.2f} MiB/h, fitted {growth:+.2f} MiB (limits {args.max_slope_mib_h} MiB/h "
         f"and {args.max_growth_mib} MiB)",
         not (per_h > args.max_slope_mib_h and growth > args.max_growth_mib)),
        ("no log line at WARNING or above (but the expected start-up one)",
         str(unexpected), unexpected == 0),
    ]  # fmt: skip


def markdown(report: dict) -> str:
    s, log, cpu = report["settings"], report["log"], report["cpu_percent_of_one_core"]
    m = report["machine"]
    out = [
        f"# Visitor soak of the real kiosk, {report['started']}",
        "",
        f"{m.get('cpu')}, {m.get('cores')} cores; Xvfb {s['size']}; load average (1 min) over "
        f"the run {report['loadavg_1min']}; idle timeout {s['idle_timeout_s']} s, countdown "
        f"{s['countdown_s']} s, warm-up {s['warmup_s']} s, seed {s['seed']}.",
        "",
        "| | value |",
        "|---|---|",
        f"| duration | {report['duration_min']} min |",
        f"| visits (abandoned, back during countdown) | {report['visitors'].get('visits')} "
        f"({report['visitors'].get('abandoned')}, {report['visitors'].get('back_in_countdown')}) |",
        f"| actions | {report['visitors'].get('actions')} |",
        f"| `attract -> explore` / `-> attract` lines | {log['attract_to_explore']} / "
        f"{log['to_attract']} ({log['transitions_by_kind']}) |",
        f"| last input -> back in attract, s | {log['seconds_last_input_to_attract']} |",
    ]
    for key, name in (("pss_mib", "PSS"), ("pss_anon_mib", "PSS anon"), ("rss_mib", "RSS")):
        t = report[key]
        out.append(
            f"| {name} start / after warm-up / max / end | {t.get('start')} / "
            f"{t.get('after_warmup')} / {t.get('max')} / {t.get('end')} MiB; "
            f"{t.get('slope_mib_per_h')} MiB/h after warm-up |"
        )
    out += [
        f"| CPU, share of one core: attract only ({cpu['attract_only_minutes']} min) / overall "
        f"| {cpu['attract_only']} % / {cpu['overall']} % |",
        f"| log lines at WARNING+ / Tracebacks | {log['warning_or_above_count']} / "
        f"{len(log['tracebacks'])} |",
        f"| same PID alive at the end; exit code after SIGTERM | "
        f"{report['alive_at_end_same_pid']}; {report['exit_code_after_sigterm']} |",
        "",
        "| check | value | ok |",
        "|---|---|---|",
    ]
    out += [f"| {w} | {v} | {'✓' if ok else '✗'} |" for w, v, ok in report["verdicts"]]
    if log["warning_or_above"]:
        out += ["", "Lines at WARNING or above:", "", "```"]
        out += log["warning_or_above"][:30] + ["```"]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="content DB (copied, not changed)")
    parser.add_argument("--minutes", type=float, default=40)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--idle-timeout", type=float, default=8.0)
    parser.add_argument("--countdown", type=float, default=3.0)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--warmup", type=float, default=None, help="s (default: 1/4, <= 600)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-slope-mib-h", type=float, default=4.0)
    parser.add_argument("--max-growth-mib", type=float, default=3.0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.warmup is None:
        args.warmup = min(600.0, args.minutes * 60 / 4)
    if shutil.which("xdotool") is None:
        raise SystemExit("needs xdotool: bash packaging/system-deps.sh package")
    report = run(args)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.out / f"soak-visitors-{stamp}"
    base.with_suffix(".json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    text = markdown(report)
    base.with_suffix(".md").write_text(text)
    print(text)
    print(f"written {base}.json/.md; kiosk log {report['log_file']}")
    crashed = not report["alive_at_end_same_pid"] or report["log"]["tracebacks"]
    leak = not report["verdicts"][3][2]
    return 1 if crashed or leak else 0


if __name__ == "__main__":
    sys.exit(main())
