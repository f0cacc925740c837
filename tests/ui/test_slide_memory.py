"""Slides hold no large buffers they do not need, and look the same without them."""

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsView

from kiosk.ui.fonts import load_fonts
from kiosk.ui.slides import make_slide
from kiosk.ui.theme import theme_for_size

pytestmark = pytest.mark.gui


def _entry(seed_content, key):
    return next(e for e in seed_content.playlist if e.key == key)


def _rgb(widget) -> bytes:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return bytes(image.constBits())


@pytest.mark.parametrize("key", ["rings_online", "bars_phones"])
def test_chart_views_keep_no_background_cache_and_look_the_same(qtbot, seed_content, key):
    # pyqtgraph's views cache their flat background in a viewport-sized pixmap that lives
    # as long as the slide (about 19 MiB per bars chart at 4K, on screen or not).
    theme = theme_for_size(1920, 1080, load_fonts())
    slide = make_slide(_entry(seed_content, key), seed_content, theme, "vi")
    qtbot.addWidget(slide)
    slide.resize(1920, 1080)
    slide.show()
    qtbot.waitExposed(slide)
    slide.show_final()
    views = slide.findChildren(QGraphicsView)
    assert views
    assert all(v.cacheMode() == QGraphicsView.CacheModeFlag.CacheNone for v in views)
    without = _rgb(slide)
    for view in views:
        view.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        view.resetCachedContent()
    assert _rgb(slide) == without
