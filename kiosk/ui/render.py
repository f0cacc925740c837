"""``kiosk render``: one PNG per slide at its final frame, for review and for tests."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.content.model import Content
from kiosk.content.playlist import active_entries
from kiosk.ui.fonts import load_fonts
from kiosk.ui.qtapp import ensure_app
from kiosk.ui.slides import make_slide
from kiosk.ui.theme import stylesheet, theme_for_size

log = logging.getLogger("kiosk.render")


def render_slides(
    content: Content,
    out_dir,
    sizes=((1920, 1080),),
    langs=("vi",),
    today: dt.date | None = None,
) -> list[Path]:
    """Write ``NN-<entry key>-<lang>-<W>x<H>.png`` for every slide shown today."""
    app = ensure_app(headless=True)
    family = load_fonts()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entries = active_entries(content, today or dt.date.today())
    written: list[Path] = []
    overflowing: list[Path] = []
    for width, height in sizes:
        theme = theme_for_size(width, height, family)
        for lang in langs:
            for number, entry in enumerate(entries, start=1):
                slide = make_slide(entry, content, theme, lang)
                slide.setStyleSheet(stylesheet(theme))
                slide.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
                slide.resize(width, height)
                slide.show()
                slide.show_final()
                QApplication.processEvents()
                path = out / f"{number:02d}-{entry.key}-{lang}-{width}x{height}.png"
                if not slide.grab().save(str(path)):
                    raise OSError(f"could not write {path}")
                if slide.overflowing():
                    log.warning("%s: some text does not fit even at the smallest size", path.name)
                    overflowing.append(path)
                written.append(path)
                slide.close()
                slide.deleteLater()
                app.processEvents()
    return written
