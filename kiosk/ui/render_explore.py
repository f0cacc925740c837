"""``kiosk render --explore``: every explore screen and page as a PNG, plus the holding screen.

``walk_explore`` opens each screen of an ``ExploreView`` in turn (home, the timeline, each
milestone's detail card, every indicators page, every awards page, About) and hands each
laid-out state to a callback; ``render_explore`` saves each as
``explore-NN-<name>-<lang>-<W>x<H>.png``. The type-scale tests walk the same states, so
what is checked is what is rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.content.model import Content
from kiosk.ui.fonts import load_fonts
from kiosk.ui.qtapp import ensure_app
from kiosk.ui.theme import Theme, stylesheet, theme_for_size

Visit = Callable[[str, QWidget], None]


def _settle() -> None:
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()


@contextmanager
def shown(widget: QWidget, theme: Theme, on_screen: bool = False) -> Iterator[QWidget]:
    """Show ``widget`` at the theme's size: as a real window, or not put on a screen."""
    widget.setStyleSheet(stylesheet(theme) + widget.styleSheet())
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, not on_screen)
    widget.resize(theme.width, theme.height)
    widget.show()
    _settle()
    try:
        yield widget
    finally:
        widget.close()
        widget.deleteLater()
        _settle()


def walk_slides(
    content: Content, theme: Theme, lang: str, visit: Visit, today: dt.date, on_screen=False
) -> None:
    """Call ``visit(name, slide)`` for every slide of the attract loop at its final frame."""
    from kiosk.content.playlist import active_entries
    from kiosk.ui.slides import make_slide

    for entry in active_entries(content, today):
        slide = make_slide(entry, content, theme, lang, reduced_motion=True)
        with shown(slide, theme, on_screen):
            slide.show_final()
            _settle()
            visit(entry.key, slide)


def walk_explore(
    content: Content, theme: Theme, lang: str, visit: Visit, on_screen: bool = False
) -> None:
    """Call ``visit(name, view)`` once per explore screen and page, each laid out."""
    from kiosk.ui.explore import ExploreView

    view = ExploreView(content, theme, lang, reduced_motion=True)
    with shown(view, theme, on_screen):
        view.go_home()
        _settle()
        visit("home", view)
        if "timeline" not in view.screens:
            return
        view.show_screen("timeline")
        _settle()
        visit("timeline", view)
        timeline = view.timeline
        for number, milestone in enumerate(timeline.order, start=1):
            timeline.open_milestone(milestone.key, notify=False)
            _settle()
            visit(f"milestone-{number:02d}-{milestone.key}", view)
        timeline.close_card()
        for screen in ("indicators", "awards"):
            view.show_screen(screen)
            browser = view.screens[screen]
            for index in range(max(1, len(browser.pages))):
                browser.show_page(index, animate=False)
                _settle()
                key = (
                    browser.pages[index].entry.key.removeprefix("explore_")
                    if browser.pages
                    else "empty"
                )
                visit(f"{screen}-{index + 1:02d}-{key}", view)
        view.show_screen("about")
        _settle()
        visit("about", view)


def walk_holding(
    theme: Theme, lang: str, visit: Visit, touched: bool = False, on_screen: bool = False
) -> None:
    """Call ``visit("holding", ...)`` with the screen a kiosk shows when it has no content."""
    from kiosk.content.i18n import t
    from kiosk.ui.slideshow import Slideshow

    show = Slideshow(Content(), theme, lang=lang, reduced_motion=True)
    show.empty.setText(t("holding.unavailable", lang))  # what the kiosk shows (app.py)
    with shown(show, theme, on_screen):
        show.start()
        _settle()
        visit("holding", show)
        if touched:
            show.show_back_soon()
            _settle()
            visit("holding-touched", show)


def render_explore(
    content: Content,
    out_dir,
    sizes=((1920, 1080),),
    langs=("vi",),
    today: dt.date | None = None,
) -> list[Path]:
    """Write one PNG per explore screen and page, and the holding screen, per size/lang."""
    ensure_app(headless=True)
    family = load_fonts()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for width, height in sizes:
        theme = theme_for_size(width, height, family)
        for lang in langs:
            count = 0

            def save(name: str, widget: QWidget, lang=lang, width=width, height=height) -> None:
                nonlocal count
                count += 1
                path = out / f"explore-{count:02d}-{name}-{lang}-{width}x{height}.png"
                if not widget.grab().save(str(path)):
                    raise OSError(f"could not write {path}")
                written.append(path)

            walk_explore(content, theme, lang, save)
            walk_holding(theme, lang, save, touched=True)
    return written
