"""Controls that work: the ends of every pager, page dots, chip and year-marker colours, and
the milestone card's title. Real windows, real Qt touch events."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.content.model import Content, Milestone, Source, Text
from kiosk.ui.theme import MIN_TEXT_PX
from kiosk.ui.touch import MIN_TARGET_PX

pytestmark = pytest.mark.gui

SIZES = [(1920, 1080), (1080, 1920), (3840, 2160)]


@pytest.fixture
def dev(touchscreen):
    return touchscreen


def tap(widget, dev, point=None):
    point = point if point is not None else widget.rect().center()
    QTest.touchEvent(widget, dev).press(0, point, widget).commit()
    QTest.touchEvent(widget, dev).release(0, point, widget).commit()
    QApplication.processEvents()


@pytest.mark.parametrize("screen", ["indicators", "awards"])
def test_previous_on_the_first_and_next_on_the_last_page_are_disabled(
    qtbot, make_view, seed_content, dev, screen
):
    view = make_view(qtbot, seed_content)
    view.show_screen(screen)
    browser = view.screens[screen]
    last = len(browser.pages) - 1
    assert not browser.prev_button.isEnabled() and browser.next_button.isEnabled()
    tap(browser.prev_button, dev)
    assert browser.current == 0
    browser.show_page(last, animate=False)
    assert browser.prev_button.isEnabled() and not browser.next_button.isEnabled()
    tap(browser.next_button, dev)
    assert browser.current == last  # no wrap to the first page


def test_the_milestone_card_follows_the_same_rule(qtbot, make_view, seed_content, dev):
    view = make_view(qtbot, seed_content)
    view.show_screen("timeline")
    timeline = view.timeline
    first, last = timeline.order[0].key, timeline.order[-1].key
    timeline.open_milestone(first)
    card = timeline.card
    assert not card.prev_button.isEnabled() and card.next_button.isEnabled()
    timeline.open_milestone(last)
    assert card.prev_button.isEnabled() and not card.next_button.isEnabled()
    tap(card.next_button, dev)
    assert timeline.open_key == last


def test_page_dots_are_not_touch_targets(qtbot, make_view, seed_content, dev):
    """Dots are far smaller than 96 px, so they take no touch: tapping one changes nothing,
    and the touch falls through to the controls row rather than to a dot."""
    view = make_view(qtbot, seed_content)
    view.show_screen("indicators")
    browser = view.indicators
    dots = browser.dots
    assert dots.height() < view.theme.px(MIN_TARGET_PX)
    point = QPoint(int(dots._origin() + dots._step() * 3.5), dots.height() // 2)
    tap(dots, dev, point)
    assert browser.current == 0
    # The buttons that do move are full-size targets.
    for button in (browser.prev_button, browser.next_button):
        assert min(button.width(), button.height()) >= view.theme.px(MIN_TARGET_PX)


def test_filter_chip_colours_differ_from_the_year_markers(qtbot, make_view, seed_content):
    view = make_view(qtbot, seed_content)
    view.show_screen("timeline")
    theme, timeline = view.theme, view.timeline
    canvas = timeline.view.canvas
    image = canvas.grab().toImage()
    marker = canvas.lay.years[0]
    x = canvas.dx + marker.x + canvas.lay.params.year_gap // 2
    painted = QColor(image.pixel(x, canvas.lay.line_y))
    assert painted.name().lower() == theme.year_marker.lower()
    dots = {chip._dot.lower() for chip in timeline.category_chips}
    assert "award" in {chip.value for chip in timeline.category_chips}
    assert painted.name().lower() not in dots
    for colour in dots:  # not merely different: told apart at a glance
        a, b = QColor(colour), painted
        distance = abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())
        assert distance > 120, colour


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_card_title_is_never_cut(qtbot, make_view, size):
    # 120 characters (the validator's limit) of wide, diacritic-heavy words.
    title = ("Thành phố Đà Nẵng được ghi nhận về chuyển đổi số đứng đầu cả nước " * 3)[:120]
    row = Milestone(
        "long",
        dt.date(2021, 5, 1),
        "month",
        Text(title.strip(), title.strip()),
        Text("Nội dung " * 80, "Body " * 80),
        "event",
        "s1",
    )
    source = Source("s1", Text("Bài báo thử", "Test article"), Text("", ""), "2022-01-24")
    view = make_view(qtbot, Content(sources=(source,), milestones=(row,)), size)
    view.show_screen("timeline")
    view.timeline.open_milestone("long")
    QApplication.processEvents()
    card = view.timeline.card
    shown = card.title_label.text()
    assert "…" not in shown and shown.replace("\n", " ").split() == title.split()
    label = card.title_label
    # The label has the height its wrapped lines need: nothing hidden below its edge.
    assert label.height() >= label.heightForWidth(label.width())
    assert card.panel.geometry().contains(label.geometry().translated(card.panel.pos()))
    assert label.font().pixelSize() >= view.theme.px(MIN_TEXT_PX)
