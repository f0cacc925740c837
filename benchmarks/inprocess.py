"""In-process benchmarks: the real kiosk built with ``build_kiosk`` and a fake clock.

(c) ``slide_changes``: force thousands of slide changes (advance the fake clock, ``tick()``,
let Qt paint) and sample PSS/RSS every 100 changes; the slope after the first cycle says
whether memory is flat. ``content_reloads`` does the same for live content updates, which
rebuild every slide (where pyqtgraph's PlotItem leaks would show).
(d) ``frame_times``: for every slide, time one animation step (``set_progress(t)`` plus a
synchronous repaint) for a full reveal at 60 fps; Xvfb has no vsync, so CPU time per frame
is what is measured, not fps.
(e) ``startup_profile``: cProfile of build-to-first-paint, the top functions.

Run as ``python -m benchmarks.inprocess --db DB --out FILE.json`` on a display (run.py
does that on its own Xvfb); prints nothing but errors.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import gc
import inspect
import io
import json
import pstats
import sys
import time
from pathlib import Path

from benchmarks.procstat import memory_kib, slope, summary
from kiosk.system.memory import release_free_memory

FRAME_BUDGET_MS = 1000 / 60


def _flush(app) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    app.processEvents()
    # deleteLater() outside a running event loop needs an explicit flush.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def build(db: Path, size=(1920, 1080)):
    """The kiosk as ``kiosk run --windowed`` makes it, but on a FakeClock, shown."""
    from kiosk.content.clock import FakeClock
    from kiosk.system.config import Settings
    from kiosk.ui.app import build_kiosk

    clock = FakeClock(1000.0)
    # As run_kiosk does: explore mode is attached after the first frame (first_seconds_stalls).
    late = {"attach_explore": False} if _accepts(build_kiosk, "attach_explore") else {}
    kiosk = build_kiosk(Settings(db_path=str(db)), windowed=True, size=size, clock=clock, **late)
    kiosk.window.show()
    kiosk.slideshow.start()
    _flush(kiosk.app)
    return kiosk, clock


def _accepts(function, name: str) -> bool:
    return name in inspect.signature(function).parameters


def _sample(n: int) -> dict:
    """Memory now ("held": what the OS sees) and after malloc_trim ("live")."""
    gc.collect()
    held = memory_kib()
    release_free_memory()  # what the kiosk itself does after each slide change
    live = memory_kib()
    return {
        "n": n,
        "pss_kib": held["pss"],
        "rss_kib": held["rss"],
        "live_pss_kib": live["pss"],
        "live_rss_kib": live["rss"],
    }


def _growth(samples: list[dict], per: int) -> dict:
    """Slopes and growth. RSS is the leak signal: PSS also moves when other processes
    map or unmap the same libraries."""
    xs = [s["n"] for s in samples]

    def fit(key: str) -> float:
        return round(slope(xs, [s[key] for s in samples]) * per, 1)

    first, last = samples[0], samples[-1]
    return {
        f"live_rss_slope_kib_per_{per}": fit("live_rss_kib"),
        f"rss_slope_kib_per_{per}": fit("rss_kib"),
        f"pss_slope_kib_per_{per}": fit("pss_kib"),
        "live_rss_growth_mib": round((last["live_rss_kib"] - first["live_rss_kib"]) / 1024, 2),
        "rss_growth_mib": round((last["rss_kib"] - first["rss_kib"]) / 1024, 2),
        "pss_max_mib": round(max(s["pss_kib"] for s in samples) / 1024, 1),
        "live_pss_last_mib": round(last["live_pss_kib"] / 1024, 1),
    }


def slide_changes(kiosk, clock, changes: int = 3000, every: int = 100) -> dict:
    """Force ``changes`` slide changes through tick(); memory sampled every ``every``."""
    show = kiosk.slideshow
    # Warm-up: one full playlist cycle, so every slide has been built once.
    for _ in range(max(1, len(show.entries))):
        clock.advance(show.duration())
        show.tick()
        _flush(kiosk.app)
    start_changes = show.changes
    samples = [_sample(0)]
    t0 = time.perf_counter()
    for n in range(1, changes + 1):
        clock.advance(show.duration())
        show.tick()
        kiosk.app.processEvents()
        if n % every == 0:
            _flush(kiosk.app)
            samples.append(_sample(n))
    elapsed = time.perf_counter() - t0
    done = show.changes - start_changes
    result = {"changes": done, "slides": len(show.entries), "seconds": round(elapsed, 1)}
    result["ms_per_change"] = round(1000 * elapsed / max(1, done), 2)
    # Allocators and Qt caches settle during the first hundreds of changes; a leak is
    # what keeps growing after that.
    warm = min(500, changes // 5)
    settled = [x for x in samples if x["n"] >= warm] or samples
    result.update(_growth(settled, 1000))
    result["warmup_changes"] = warm
    result["rss_growth_incl_warmup_mib"] = round(
        (samples[-1]["rss_kib"] - samples[0]["rss_kib"]) / 1024, 2
    )
    result["samples"] = samples
    return result


def content_reloads(kiosk, clock, reloads: int = 100, every: int = 10) -> dict:
    """Live updates: new content each time, then one full cycle (every slide rebuilt)."""
    show = kiosk.slideshow
    base = kiosk.source.current
    samples = [_sample(0)]
    t0 = time.perf_counter()
    for n in range(1, reloads + 1):
        show.set_content(dataclasses.replace(base, version=f"bench-{n}"))
        for _ in range(max(1, len(show.entries))):
            clock.advance(show.duration())
            show.tick()
            kiosk.app.processEvents()
        _flush(kiosk.app)
        if n % every == 0:
            samples.append(_sample(n))
    result = {"reloads": reloads, "seconds": round(time.perf_counter() - t0, 1)}
    # As with slide changes: caches fill during the first reloads, then a leak keeps going.
    warm = reloads // 5
    result.update(_growth([x for x in samples if x["n"] >= warm] or samples, 100))
    result["warmup_reloads"] = warm
    result["rss_growth_incl_warmup_mib"] = round(
        (samples[-1]["live_rss_kib"] - samples[0]["live_rss_kib"]) / 1024, 2
    )
    result["live_slides"] = len(show.slides)
    result["samples"] = samples
    return result


def content_change_cost(kiosk, db: Path, changes: int = 20) -> dict:
    """The live-update path on the GUI thread: a staff commit, then the app's own poll.

    ``poll_content`` reads, validates and builds the new content; the slideshow swaps it in
    at its next slide. Each commit toggles a trailing space on one source's English note.
    """
    import sqlite3

    idle, changed = [], []
    for _ in range(changes):
        t0 = time.perf_counter()
        kiosk.poll_content()  # nothing changed: the every-2-s cost
        idle.append((time.perf_counter() - t0) * 1000)
        writer = sqlite3.connect(db)
        # A real change (SQLite does not count a rewrite of the same value as one).
        writer.execute(
            "UPDATE sources SET note_en = CASE WHEN note_en LIKE '% ' THEN rtrim(note_en) "
            "ELSE note_en || ' ' END WHERE key = (SELECT min(key) FROM sources)"
        )
        writer.commit()
        writer.close()
        t0 = time.perf_counter()
        if not kiosk.poll_content():
            return {"error": "the kiosk did not notice a committed change"}
        changed.append((time.perf_counter() - t0) * 1000)
    return {"idle_poll_ms": summary(idle), "reload_ms": summary(changed)}


def frame_times(kiosk, frames: int = 66) -> dict:
    """Per slide, for each step of a reveal at 60 fps, two measures (wall ms):

    ``wall_ms``: ``set_progress(t)`` then let Qt paint what it marked dirty and flush it to
    the X server, which is what a real animation frame costs;
    ``full_repaint_ms``: ``set_progress(t)`` plus a synchronous repaint of the whole slide,
    the upper bound (a frame where everything changed).
    """
    from PySide6.QtCore import QEasingCurve

    show = kiosk.slideshow
    show.pause()  # no slide timer; frames are driven by hand
    for index in range(len(show.entries)):
        show.slide_for(index)  # built up front, so no lazy build lands inside a frame
    _flush(kiosk.app)
    curve = QEasingCurve(QEasingCurve.Type.OutCubic)
    per_kind: dict[str, dict] = {}
    all_wall: list[float] = []
    for index in range(len(show.entries)):
        show.show_index(index, fade=False)
        slide = show.current_slide
        slide.stop()
        _flush(kiosk.app)
        wall, cpu, step_only, full = [], [], [], []
        for i in range(frames):
            t = curve.valueForProgress(i / (frames - 1))
            w0, c0 = time.perf_counter(), time.process_time()
            slide.set_progress(t)
            s1 = time.perf_counter()
            kiosk.app.processEvents()  # paints the dirty regions, flushes to the display
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            step_only.append((s1 - w0) * 1000)
        for i in range(frames):
            t = curve.valueForProgress(i / (frames - 1))
            w0 = time.perf_counter()
            slide.set_progress(t)
            slide.repaint()
            full.append((time.perf_counter() - w0) * 1000)
        key = f"{index + 1:02d}-{show.entries[index].kind}"
        per_kind[key] = {
            "wall_ms": summary(wall),
            "cpu_ms": summary(cpu),
            "set_progress_ms": summary(step_only),
            "full_repaint_ms": summary(full),
            "within_16_7ms": round(sum(w <= FRAME_BUDGET_MS for w in wall) / len(wall), 3),
        }
        all_wall += wall
    fade = _fade_frames(kiosk, frames)
    show.resume()
    return {
        "frames_per_slide": frames,
        "all": summary(all_wall),
        "within_16_7ms": round(sum(w <= FRAME_BUDGET_MS for w in all_wall) / len(all_wall), 3),
        "per_slide": per_kind,
        "crossfade": fade,
    }


def _fade_frames(kiosk, frames: int) -> dict:
    """One cross-fade step: the overlay's opacity changes and the stack repaints."""
    show = kiosk.slideshow
    show.show_index(1 % max(1, len(show.entries)), fade=True)
    show._fade.stop()  # driven by hand below, one step per frame
    wall = []
    for i in range(frames):
        w0 = time.perf_counter()
        show._on_fade(1 - i / (frames - 1))
        show.stack.repaint()
        wall.append((time.perf_counter() - w0) * 1000)
    show.overlay.hide()
    return {"wall_ms": summary(wall)}


def first_seconds_stalls(kiosk, seconds: float = 3.0, step_ms: int = 5) -> dict:
    """Run the real event loop for the first seconds after the first frame, with what the
    app starts then (content polling, chart warm-up, explore mode), and record how long the
    GUI thread was blocked.

    A stall over one frame here freezes the first slide's reveal animation on screen.
    """
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from kiosk.ui import app as app_module

    gaps: list[tuple[float, float]] = []
    clock = QElapsedTimer()
    clock.start()
    last = [0.0]

    def beat() -> None:
        now = clock.nsecsElapsed() / 1e6
        gap = now - last[0]
        if gap > 2 * step_ms:
            gaps.append((round(last[0]), round(gap, 1)))
        last[0] = now

    timer = QTimer()
    timer.setInterval(step_ms)
    timer.timeout.connect(beat)
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    kiosk.slideshow.current_slide.play()  # the reveal a visitor would be watching
    # Name the work that blocks: the chart warm-up and the explore-mode build are timed.
    spent: dict[str, list[float]] = {}

    def timed(name: str, function):
        def run(*args):
            t0 = time.perf_counter()
            try:
                return function(*args)
            finally:
                ms = (time.perf_counter() - t0) * 1000
                spent.setdefault(name, []).append(round(ms, 1))

        return run

    show = kiosk.slideshow
    show.prebuild_next = timed("chart_warmup_prebuild_ms", show.prebuild_next)
    timer.start()
    # What run_kiosk's on_first_frame starts (the watchdog aside: no systemd here).
    app_module.start_services(kiosk)
    attach = getattr(app_module, "attach_explore_mode", None)
    if attach is not None and kiosk.explore is None:
        attach = timed("explore_attach_ms", attach)
        # Mirrors run_kiosk's on_first_frame (a closure, so it cannot be called from here).
        delay = getattr(app_module, "REVEAL_MS", -100) + 100
        QTimer.singleShot(delay, lambda: attach(kiosk))
    loop.exec()
    timer.stop()
    kiosk.poll_timer.stop()
    del show.prebuild_next  # back to the class's method
    worst = max(gaps, key=lambda g: g[1], default=(0, 0.0))
    return {
        "seconds": seconds,
        "longest_stall_ms": worst[1],
        "longest_stall_at_ms": worst[0],
        "stalls_over_50ms": [g for g in gaps if g[1] > 50],
        "pyqtgraph_loaded_after": "pyqtgraph" in sys.modules,
        **spent,
    }


def startup_profile(db: Path, size=(1920, 1080), top: int = 15):
    """cProfile from build_kiosk to the first processed paint; top functions by cumtime."""
    profile = cProfile.Profile()
    t0 = time.perf_counter()
    profile.enable()
    kiosk, clock = build(db, size)
    profile.disable()
    elapsed = (time.perf_counter() - t0) * 1000
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(top)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip() and "/" in ln][:top]
    return {"build_to_first_paint_ms": round(elapsed, 1), "top": lines}, kiosk, clock


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--changes", type=int, default=3000)
    parser.add_argument("--reloads", type=int, default=100)
    parser.add_argument("--frames", type=int, default=66)
    args = parser.parse_args(argv)
    size = tuple(int(x) for x in args.size.split("x"))
    results: dict = {"size": args.size}
    profile, kiosk, clock = startup_profile(args.db, size)
    results["startup_profile"] = profile
    # The first frame must not wait for the chart library (~100 ms and ~30 MiB to import).
    results["pyqtgraph_before_first_paint"] = "pyqtgraph" in sys.modules
    results["pss_after_start_mib"] = round(memory_kib()["pss"] / 1024, 1)
    results["first_seconds"] = first_seconds_stalls(kiosk)
    results["frame_times"] = frame_times(kiosk, args.frames)
    if args.changes:
        results["slide_changes"] = slide_changes(kiosk, clock, args.changes)
    if args.reloads:
        results["content_reloads"] = content_reloads(kiosk, clock, args.reloads)
        results["content_change"] = content_change_cost(kiosk, args.db)
    args.out.write_text(json.dumps(results, indent=1))
    kiosk.window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
