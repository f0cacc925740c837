"""Benchmarks that run the real ``kiosk run`` process from outside, on a private Xvfb.

(a) ``first_frame``: start the kiosk N times, parse its ``first frame in N ms`` log line;
also time, from here, how long the line took to appear after ``Popen`` (the interpreter's
own start-up included).
(b) ``soak``: run it for a while and sample PSS (/proc/PID/smaps_rollup) and CPU time
(/proc/PID/stat) once a second.

The kiosk is started directly (not through xvfb-run) so its PID is the one measured.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.procstat import cpu_seconds, memory_kib, summary

FIRST_FRAME = re.compile(r"first frame in (\d+(?:\.\d+)?) ms")
ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def xvfb(size: str = "1920x1080x24", reuse: bool = True):
    """A private Xvfb server; yields its DISPLAY (":N"). ``reuse``: use $DISPLAY if set."""
    if reuse and os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    if shutil.which("Xvfb") is None:
        raise SystemExit(
            "benchmarks need Xvfb (or a DISPLAY): sudo apt-get install -y xvfb "
            "(make test installs it too)"
        )
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        ready, _, _ = select.select([read_fd], [], [], 15)
        if not ready:
            raise RuntimeError("Xvfb did not start within 15 s (is the xvfb package installed?)")
        number = os.read(read_fd, 64).decode().strip()
        yield f":{number}"
    finally:
        os.close(read_fd)
        proc.terminate()
        proc.wait(timeout=10)


def kiosk_cmd(db: Path, quit_after: float, size: str = "1920x1080") -> list[str]:
    return [
        sys.executable,
        "-m",
        "kiosk",
        "run",
        "--windowed",
        "--size",
        size,
        "--db",
        str(db),
        "--quit-after",
        str(quit_after),
    ]


# Extra environment for every measured process (run.py --env), e.g. glibc malloc tuning.
EXTRA_ENV: dict[str, str] = {}


def _env(display: str) -> dict:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONFAULTHANDLER="1")
    # No user or system config: the benchmark measures the defaults.
    env["KIOSK_CONFIG"] = str(ROOT / "benchmarks" / "no-such-config.toml")
    env.update(EXTRA_ENV)
    return env


def first_frame(
    db: Path, display: str, runs: int = 5, quit_after: float = 3.0, size: str = "1920x1080"
) -> dict:
    """Start the kiosk ``runs`` times; the logged first-frame times and our own timing."""
    logged, observed, failures = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            kiosk_cmd(db, quit_after, size),
            env=_env(display),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        seen = None
        lines = []
        for line in proc.stderr:
            lines.append(line.rstrip())
            match = FIRST_FRAME.search(line)
            if match and seen is None:
                seen = (time.perf_counter() - start) * 1000
                logged.append(float(match.group(1)))
                observed.append(seen)
        code = proc.wait(timeout=quit_after + 30)
        if seen is None or code != 0:
            tail = " | ".join(lines[-3:]) or "(no output)"
            state = "seen" if seen else "missing"
            failures.append(f"exit {code}, first-frame line {state}: {tail}")
    return {
        "runs": runs,
        "logged_ms": logged,
        "logged": summary(logged),
        "observed_from_popen_ms": summary(observed),
        "failures": failures,
    }


def soak(
    db: Path, display: str, seconds: float = 60.0, warmup: float = 3.0, size: str = "1920x1080"
) -> dict:
    """Run the kiosk ``seconds`` (+ warm-up); sample PSS and CPU once a second."""
    proc = subprocess.Popen(
        kiosk_cmd(db, warmup + seconds + 2, size),
        env=_env(display),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples = []
    try:
        time.sleep(warmup)  # start-up is measured by first_frame, not here
        t0, cpu0 = time.monotonic(), cpu_seconds(proc.pid)
        while time.monotonic() - t0 < seconds and proc.poll() is None:
            time.sleep(1.0)
            mem = memory_kib(proc.pid)
            samples.append(
                {
                    "t": round(time.monotonic() - t0, 2),
                    "cpu_s": round(cpu_seconds(proc.pid) - cpu0, 3),
                    "pss_kib": mem["pss"],
                    "rss_kib": mem["rss"],
                }
            )
    except FileNotFoundError:
        pass  # the process ended between poll() and the /proc read
    finally:
        code = proc.wait(timeout=seconds + 30)
    if not samples:
        return {"error": f"the kiosk exited ({code}) before it could be measured"}
    last = samples[-1]
    pss = [s["pss_kib"] for s in samples]
    return {
        "seconds": last["t"],
        "exit_code": code,
        "cpu_percent_of_one_core": round(100 * last["cpu_s"] / last["t"], 2),
        "pss_mib": {
            "median": round(sorted(pss)[len(pss) // 2] / 1024, 1),
            "max": round(max(pss) / 1024, 1),
            "last": round(pss[-1] / 1024, 1),
        },
        "rss_mib_max": round(max(s["rss_kib"] for s in samples) / 1024, 1),
        "samples": samples,
    }


def import_profile(db: Path, display: str, top: int = 12) -> dict:
    """``python -X importtime`` on a short run: the slowest imports (cumulative, ms)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *kiosk_cmd(db, 0.5)[1:]],
        env=_env(display),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        # Nesting is shown by indentation after one space; depth 0 = imported by the app.
        if cumulative.strip().isdigit() and not name[1:].startswith(" "):
            rows.append((int(cumulative) / 1000, name.strip()))
    out = [{"module": n, "cumulative_ms": round(ms, 1)} for ms, n in sorted(rows, reverse=True)]
    total = round(sum(ms for ms, _ in rows), 1)
    return {"exit_code": proc.returncode, "total_ms": total, "top_imports": out[:top]}
