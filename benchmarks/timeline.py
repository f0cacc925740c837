"""Timeline screenshots for review, and the strip's per-frame paint cost with many milestones.

``python -m benchmarks.timeline shots --out /tmp/explore-shots`` writes the timeline and
an open detail card in vi and en at 1920x1080, 1080x1920 and 3840x2160 (PNG, from the
seed content built into a temporary DB): look at them before calling a change done.

``python -m benchmarks.timeline frames --count 2000`` scrolls a strip of generated
milestones across its whole width in viewport-sized steps and reports the CPU time of each
synchronous repaint (median, 95th percentile, max) and how many cards each paint drew.
Xvfb has no vsync, so the time per frame is what means something, not fps.

Run on a display (``xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m ...``) or
without one (the offscreen platform is used then).
Writes only under ``--out`` and a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((1920, 1080), (1080, 1920), (3840, 2160))


def _app():
    from kiosk.ui.fonts import load_fonts
    from kiosk.ui.qtapp import ensure_app

    # Without a display (CI, SSH) the offscreen platform renders the same pixels.
    app = ensure_app(headless=True)
    return app, load_fonts()


def _screen(content, size, lang, family):
    from kiosk.ui.theme import stylesheet, theme_for_size
    from kiosk.ui.timeline import TimelineScreen

    theme = theme_for_size(*size, family)
    screen = TimelineScreen(content, theme, lang)
    screen.setStyleSheet(stylesheet(theme))
    screen.resize(*size)
    screen.show()
    return screen


def shots(out: Path, open_key: str = "m_conference") -> list[Path]:
    """Timeline and detail card PNGs for every size and both languages."""
    from kiosk.store import build_db, load_content

    app, family = _app()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "content.db"
        build_db(db, ROOT / "db")
        content = load_content(db)
        for size in SIZES:
            for lang in ("vi", "en"):
                screen = _screen(content, size, lang, family)
                app.processEvents()
                tag = f"{lang}-{size[0]}x{size[1]}"
                for name in ("timeline", "card"):
                    if name == "card":
                        screen.open_milestone(open_key)
                        app.processEvents()
                    path = out / f"{name}-{tag}.png"
                    screen.grab().save(str(path))
                    written.append(path)
                screen.close()
                screen.deleteLater()
    return written


def generated(count: int):
    from kiosk.content.model import Content, Milestone, Source, Text

    start = dt.date(2021, 1, 1)
    rows = tuple(
        Milestone(
            key=f"g{i:05d}",
            date=start + dt.timedelta(days=i * 730 // count),
            precision="day",
            title=Text(f"Mốc thử nghiệm số {i} về chuyển đổi số", f"Generated milestone {i}"),
            body=Text("", ""),
            category=("event", "award", "policy", "ranking")[i % 4],
            source_key="s",
        )
        for i in range(count)
    )
    return Content(sources=(Source("s", Text("s", "s"), Text("", ""), ""),), milestones=rows)


def frames(count: int, size=(1920, 1080)) -> dict:
    """Per-frame repaint cost while stepping across a strip of ``count`` milestones."""
    from PySide6.QtWidgets import QWidget

    app, family = _app()
    screen = _screen(generated(count), size, "vi", family)
    app.processEvents()
    view = screen.view
    bar = view.horizontalScrollBar()
    step = max(1, view.viewport().width() // 3)
    times, drawn = [], []
    for value in range(0, bar.maximum() + 1, step):
        bar.setValue(value)
        # CPU time, not wall time: other processes on a busy machine must not count.
        started = time.process_time()
        view.canvas.repaint()
        times.append((time.process_time() - started) * 1000)
        drawn.append(view.canvas.painted_count)
    times.sort()
    result = {
        "milestones": count,
        "strip_width_px": view.canvas.lay.width,
        "frames": len(times),
        "paint_ms_median": round(statistics.median(times), 3),
        "paint_ms_p95": round(times[int(len(times) * 0.95) - 1], 3),
        "paint_ms_max": round(times[-1], 3),
        "cards_per_paint_max": max(drawn),
        "widgets_in_view": len(view.findChildren(QWidget)),
    }
    screen.close()
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_shots = sub.add_parser("shots")
    p_shots.add_argument("--out", type=Path, default=Path("/tmp/explore-shots"))
    p_frames = sub.add_parser("frames")
    p_frames.add_argument("--count", type=int, default=2000)
    args = parser.parse_args(argv)
    if args.cmd == "shots":
        for path in shots(args.out):
            print(path)
    else:
        print(json.dumps(frames(args.count), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
