"""Small measuring helpers for the benchmarks: /proc readings, statistics, machine facts.

Linux only (the kiosk's target). No Qt here, so the orchestrator stays light.
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def memory_kib(pid: int | str = "self") -> dict[str, int]:
    """PSS, RSS and their anonymous parts in KiB, from /proc/PID/smaps_rollup."""
    out: dict[str, int] = {}
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss", "Pss_Anon", "Pss_File", "Private_Dirty"):
            out[name.lower()] = int(rest.split()[0])
    return out


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process so far, from /proc/PID/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name (field 2) may hold spaces; fields after it are plain numbers.
    fields = stat.rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLK_TCK


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs (0 when there is nothing to fit)."""
    if len(xs) < 2:
        return 0.0
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def summary(values: list[float]) -> dict[str, float]:
    """median / p95 / max / mean of a list of numbers (rounded for the report)."""
    if not values:
        return {}
    return {
        "n": len(values),
        "median": round(statistics.median(values), 3),
        "p95": round(percentile(values, 95), 3),
        "max": round(max(values), 3),
        "mean": round(statistics.fmean(values), 3),
    }


def _first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""


def machine_facts() -> dict[str, str | int]:
    """What the numbers were measured on: CPU, cores, memory, OS and library versions."""
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    facts: dict[str, str | int] = {
        "cpu": cpu,
        "cores": os.cpu_count() or 0,
        "mem_mib": mem_kib // 1024,
        "kernel": platform.release(),
        "os": _first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "python": platform.python_version(),
        "xvfb": "Xvfb (no GPU, no vsync)",
    }
    for dist in ("PySide6-Essentials", "PySide6", "pyqtgraph", "numpy", "sqlite-utils"):
        with contextlib.suppress(PackageNotFoundError):  # a missing dist is just not listed
            facts[dist.lower()] = version(dist)
    # Other work on the box skews every timing here; say how busy it was.
    facts["loadavg_1_5_15"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    facts["executable"] = sys.executable
    return facts
