"""A long playlist does not keep every slide it has shown: built slides are bounded."""

import dataclasses

import pytest

from kiosk.content.clock import FakeClock
from kiosk.ui.fonts import load_fonts
from kiosk.ui.slideshow import MAX_KEPT_SLIDES, Slideshow
from kiosk.ui.theme import theme_for_size

pytestmark = pytest.mark.gui


def test_built_slides_are_bounded(qtbot, seed_content):
    entries = [e for e in seed_content.playlist if e.kind in ("kpi", "quote", "projects")]
    many = tuple(
        dataclasses.replace(entries[i % len(entries)], key=f"copy{i}", position=i)
        for i in range(3 * MAX_KEPT_SLIDES)
    )
    content = dataclasses.replace(seed_content, playlist=many)
    clock = FakeClock()
    show = Slideshow(content, theme_for_size(960, 540, load_fonts()), clock=clock)
    qtbot.addWidget(show)
    show.resize(960, 540)
    show.show()
    show.start()
    show.timer.stop()
    for _ in range(len(many) + 3):
        clock.advance(show.duration() + 0.1)
        show.tick()
        assert show.current_slide is not None and show.stack.currentWidget() is show.current_slide
    assert len(show.slides) <= MAX_KEPT_SLIDES
    assert show.stack.count() <= MAX_KEPT_SLIDES + 1  # + the empty page
