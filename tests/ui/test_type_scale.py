"""No visitor text under 24 px at 1080p (scaled with the screen), on every screen and page,
at the three screen shapes, measured from the laid-out widgets (kiosk.ui.typescale)."""

import datetime as dt

import pytest

from kiosk.ui.fonts import load_fonts
from kiosk.ui.render_explore import walk_explore, walk_holding, walk_slides
from kiosk.ui.theme import MIN_TEXT_PX, theme_for_size
from kiosk.ui.typescale import text_sizes

pytestmark = pytest.mark.gui

SIZES = [(1920, 1080), (1080, 1920), (3840, 2160)]


def _check_all(content, width, height, lang):
    theme = theme_for_size(width, height, load_fonts())
    smallest = theme.px(MIN_TEXT_PX)
    seen: list[str] = []
    too_small: list[str] = []

    def check(name, widget):
        sizes = text_sizes(widget)
        assert sizes, f"{name}: no text found at all (the walker is blind)"
        seen.append(name)
        too_small.extend(f"{name}: {what} at {px} px" for what, px in sizes if px < smallest)

    walk_slides(content, theme, lang, check, dt.date(2022, 6, 1), on_screen=True)
    walk_explore(content, theme, lang, check, on_screen=True)
    walk_holding(theme, lang, check, touched=True, on_screen=True)
    return seen, too_small


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_text_under_the_minimum(qapp, seed_content, size, lang):
    seen, too_small = _check_all(seed_content, *size, lang)
    # Every kind of screen was walked: slides, home, the strip, every card, both chart
    # screens, about and the holding screen.
    assert {"home", "timeline", "about", "holding"} <= set(seen)
    milestones = [n for n in seen if n.startswith("milestone-")]
    assert len(milestones) == len(seed_content.milestones)
    assert any(n.startswith("indicators-") for n in seen)
    assert any(n.startswith("awards-") for n in seen)
    assert too_small == []


def test_the_walker_sees_a_small_label(qapp):
    """The measure itself: a 13 px label is reported (a test that cannot fail is a defect)."""
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    from kiosk.ui.theme import Theme

    root = QWidget()
    label = QLabel("Bộ Thông tin và Truyền thông", root)
    font = label.font()
    font.setPixelSize(13)
    label.setFont(font)
    QVBoxLayout(root).addWidget(label)
    root.resize(400, 200)
    root.show()
    assert ("QLabel 'Bộ Thông tin và Truyền thông'", 13) in text_sizes(root)
    assert Theme().font(13).pixelSize() == MIN_TEXT_PX
    root.close()
