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


def _pixels(widget):
    import numpy as np

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)
    return rows[..., :3].astype(int)


@pytest.mark.parametrize(
    ("key", "lang", "size"),
    [("quote_thach", "en", (3840, 2160)), ("quote_son", "vi", (1920, 1080))],
)
def test_quote_pixmap_covers_only_the_text_and_looks_the_same(qtbot, seed_content, key, lang, size):
    theme = theme_for_size(*size, load_fonts())
    slide = make_slide(_entry(seed_content, key), seed_content, theme, lang)
    qtbot.addWidget(slide)
    slide.resize(*size)
    slide.show()
    qtbot.waitExposed(slide)
    card = slide.card
    # Qt draws the first text at a new size a little differently from later draws (its
    # glyph caches fill on the first one): render twice before comparing.
    card.grab()
    card._cache = None
    card.grab()
    for t in (1.0, 0.4):  # the final frame; mid-reveal (moved up, 40 % opaque)
        card.set_progress(t)
        card._cache = None
        cropped = _pixels(card)
        assert card._cache[0].height() < card.height() * 0.9
        card.ink_rect = lambda layout, card=card: card.rect()  # the card-sized pixmap
        card._cache = None
        full = _pixels(card)
        assert card._cache[0].size() == card.size()
        del card.ink_rect
        assert (full == cropped).all()
