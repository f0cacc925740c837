"""Indicator pages with substance, each thing said once: the figure, its explanation, the
national comparison and the period, related figures as tiles that open their pages."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsTextItem, QGraphicsView, QLabel

from kiosk.ui.explore.indicator_page import FigureTile, IndicatorSlide
from kiosk.ui.explore.pages import page_for

pytestmark = pytest.mark.gui


@pytest.fixture
def dev(touchscreen):
    return touchscreen


def open_page(view, key):
    view.show_screen("indicators")
    browser = view.indicators
    browser.show_page(page_for(browser.pages, key), animate=False)
    QApplication.processEvents()
    return browser.current_slide


def visible_texts(widget) -> list[str]:
    texts = [
        label.text()
        for label in widget.findChildren(QLabel)
        if label.isVisibleTo(widget) and label.text().strip()
    ]
    for view in widget.findChildren(QGraphicsView):
        if view.isVisibleTo(widget):
            texts += [
                item.toPlainText()
                for item in view.scene().items()
                if isinstance(item, QGraphicsTextItem) and item.toPlainText().strip()
            ]
    return texts


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_single_figure_page_says_its_label_once_and_gives_its_context(
    qtbot, make_view, seed_content, lang
):
    view = make_view(qtbot, seed_content, lang=lang)
    slide = open_page(view, "online_filings")
    row = seed_content.indicator("online_filings")
    assert isinstance(slide, IndicatorSlide)
    texts = visible_texts(view.indicators)
    label = row.label.get(lang)
    assert sum(label.lower() in t.lower() for t in texts) == 1, texts  # the heading only
    assert slide.heading.text() == label
    note = row.national_note.get(lang)
    assert any(note in t for t in texts)  # "gấp 2 lần bình quân cả nước"
    period = "Số liệu tháng 1/2022" if lang == "vi" else "Figures for January 2022"
    assert period in texts
    assert row.explanation.get(lang) in texts
    assert not view.indicators.explanation.isVisible()  # no footer repeating any of it


def test_related_tiles_show_figures_of_the_same_period_and_open_them(
    qtbot, make_view, seed_content, dev
):
    view = make_view(qtbot, seed_content)
    slide = open_page(view, "online_filings")
    tiles = slide.findChildren(FigureTile)
    assert 1 <= len(tiles) <= 4
    row = seed_content.indicator("online_filings")
    for tile in tiles:
        other = seed_content.indicator(tile.key)
        assert other.period == row.period and other.key != row.key
        assert tile.text() == other.label.vi
        assert min(tile.width(), tile.height()) >= view.theme.px(96)
    target = tiles[1]
    # The touch goes where a finger would: to the window, at the tile's place (the swipe
    # layer over the page takes it and presses the tile beneath).
    window = view.window()
    point = target.mapTo(window, target.rect().center())
    QTest.touchEvent(window, dev).press(0, point).commit()
    QTest.touchEvent(window, dev).release(0, point).commit()
    QApplication.processEvents()
    browser = view.indicators
    assert browser.current == page_for(browser.pages, target.key)
    assert target.key in browser.pages[browser.current].covers


def test_the_grdp_trio_stands_side_by_side_with_its_comparison_once(qtbot, make_view, seed_content):
    view = make_view(qtbot, seed_content, lang="en")
    open_page(view, "grdp_ict")
    texts = visible_texts(view.indicators)
    for key in ("grdp_ict", "grdp_trade", "grdp_transport"):
        assert seed_content.indicator(key).label.en in texts
    note = seed_content.indicator("grdp_ict").national_note.en
    assert sum(note in t for t in texts) == 1
    assert not view.indicators.explanation.isVisible()  # the heading already says 2021


def test_a_note_the_bar_label_already_carries_is_not_repeated(qtbot, make_view, seed_content):
    """The phones group: its label says "(first in the country)", its note says it again."""
    view = make_view(qtbot, seed_content, lang="en")
    open_page(view, "phones")
    texts = visible_texts(view.indicators)
    assert sum("first in the country" in t for t in texts) == 1, texts
