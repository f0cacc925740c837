"""Memory over many visitor sessions: does explore mode give back what a visit takes?

The slideshow's memory is measured over thousands of slide changes (``inprocess.py``); a
lobby kiosk also sees hundreds of visitors a day for months. This drives the real kiosk
(``build_kiosk`` with explore mode, a fake clock for the idle timeout) through ``--sessions``
scripted visits with real Qt touch events, each one: touch the slideshow, open the timeline,
drag it, open a milestone, swipe to the next, switch language, open the indicators and page
through them, open the awards, then walk away (idle timeout + countdown, back to the attract
loop). Memory is sampled every ``--every`` sessions after ``malloc_trim`` ("live"), and the
slope after the warm-up says whether visits leak.

    xvfb-run -a .venv/bin/python -m benchmarks.visits --db var/content.db --sessions 400

Prints a JSON report (and writes it with ``--out``); exits 1 when live RSS grows by more
than ``--max-growth-mib`` after the warm-up.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from benchmarks.inprocess import _flush, _growth, _sample


def _touch(window, dev, widget, kind: str, point) -> None:
    from PySide6.QtTest import QTest

    seq = QTest.touchEvent(window, dev)
    getattr(seq, kind)(0, widget.mapTo(window, point))
    seq.commit()


def _tap(app, window, dev, widget, point=None) -> None:
    point = point if point is not None else widget.rect().center()
    _touch(window, dev, widget, "press", point)
    _touch(window, dev, widget, "release", point)
    app.processEvents()


def _drag(app, window, dev, widget, start, dx: int, steps: int = 6) -> None:
    from PySide6.QtCore import QPoint

    _touch(window, dev, widget, "press", start)
    for i in range(1, steps + 1):
        time.sleep(0.01)  # the swipe detector and QScroller look at real time
        _touch(window, dev, widget, "move", start + QPoint(dx * i // steps, 0))
        app.processEvents()
    _touch(window, dev, widget, "release", start + QPoint(dx, 0))
    app.processEvents()


def _settle(app, ms: int = 120) -> None:
    """Let real-time animations (card slide, chart reveal) run a little."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def visit(kiosk, clock, dev, n: int, idle_s: float) -> None:
    """One scripted visitor (see the module docstring); ``n`` picks the milestone."""
    from PySide6.QtCore import QPoint

    app, window = kiosk.app, kiosk.window
    explore, visitor = kiosk.explore, kiosk.visitor
    timeline = explore.timeline
    _tap(app, window, dev, kiosk.slideshow)
    _tap(app, window, dev, explore.home.tiles["timeline"])
    viewport = timeline.view.viewport()
    start = QPoint(viewport.width() * 3 // 4, viewport.height() // 2)
    _drag(app, window, dev, viewport, start, -viewport.width() // 3)
    keys = [m.key for m in timeline.order]
    timeline.open_milestone(keys[n % len(keys)])
    _settle(app)
    panel = timeline.card.panel
    _drag(app, window, dev, panel, panel.rect().center() + QPoint(150, 0), -350, steps=4)
    _settle(app)
    _tap(app, window, dev, explore.top_bar.lang_button)
    _tap(app, window, dev, explore.top_bar.home_button)
    _tap(app, window, dev, explore.home.tiles["indicators"])
    for _ in range(3):
        _tap(app, window, dev, explore.indicators.next_button)
        _settle(app, 40)
    _tap(app, window, dev, explore.top_bar.home_button)
    _tap(app, window, dev, explore.home.tiles["awards"])
    _settle(app, 40)
    # Walk away: the idle timeout and the countdown pass on the fake clock.
    end = clock.now() + idle_s
    while clock.now() < end:
        clock.advance(0.25)
        visitor.tick()
    app.processEvents()
    # The attract loop runs a little before the next visitor comes.
    show = kiosk.slideshow
    for _ in range(2):
        clock.advance(show.duration())
        show.tick()
        app.processEvents()


def run(db: Path, sessions: int, every: int, size=(1920, 1080)) -> dict:
    from PySide6.QtGui import QInputDevice
    from PySide6.QtTest import QTest

    from kiosk.content.clock import FakeClock
    from kiosk.store.stats import default_stats_path
    from kiosk.system.config import Settings
    from kiosk.ui.app import build_kiosk

    stats = default_stats_path(db)
    clock = FakeClock(1000.0)
    settings = Settings(db_path=str(db))
    kiosk = build_kiosk(settings, windowed=True, size=size, clock=clock)
    kiosk.window.show()
    kiosk.slideshow.start()
    _flush(kiosk.app)
    dev = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    idle_s = settings.idle_timeout_s + settings.countdown_s + 0.5
    visitor = kiosk.visitor
    warm = max(every, sessions // 5)
    samples, failures = [], 0
    t0 = time.perf_counter()
    for n in range(1, sessions + 1):
        visit(kiosk, clock, dev, n, idle_s)
        if visitor.state.name != "ATTRACT" or not kiosk.window.in_attract:
            failures += 1
        if n % every == 0:
            _flush(kiosk.app)
            samples.append(_sample(n))
    elapsed = time.perf_counter() - t0
    settled = [s for s in samples if s["n"] >= warm] or samples
    report = {
        "sessions": sessions,
        "size": f"{size[0]}x{size[1]}",
        "seconds": round(elapsed, 1),
        "ms_per_session": round(1000 * elapsed / sessions, 1),
        "not_back_in_attract": failures,
        "warmup_sessions": warm,
        **_growth(settled, 100),
        "samples": samples,
    }
    visitor.close()
    kiosk.source.close()
    kiosk.window.close()
    if stats.exists():
        report["visits_db_kib"] = round(stats.stat().st_size / 1024, 1)
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="content DB (a copy is used)")
    parser.add_argument("--sessions", type=int, default=400)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--max-growth-mib", type=float, default=5.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        # A copy: the visit statistics are written beside the DB, never beside the given one.
        db = Path(tmp) / "content.db"
        shutil.copyfile(args.db, db)
        size = tuple(int(x) for x in args.size.split("x"))
        report = run(db, args.sessions, args.every, size)
    text = json.dumps(report, indent=1)
    if args.out:
        args.out.write_text(text)
    summary = {k: v for k, v in report.items() if k != "samples"}
    print(json.dumps(summary, indent=1))
    return 1 if report["live_rss_growth_mib"] > args.max_growth_mib else 0


if __name__ == "__main__":
    sys.exit(main())
