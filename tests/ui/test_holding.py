"""The holding screen: with nothing to show, a touch does not open empty explore pages; it
shows a short "back soon" in both languages, which goes away by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.content.attract import State
from kiosk.content.clock import FakeClock
from kiosk.content.model import Content
from kiosk.store import build_db, load_content
from kiosk.system.config import Settings
from kiosk.ui.app import build_kiosk
from kiosk.ui.explore.home import HomeScreen
from kiosk.ui.fonts import load_fonts
from kiosk.ui.theme import theme_for_size

pytestmark = pytest.mark.gui

SEED = Path(__file__).resolve().parents[2] / "db"


@pytest.fixture(scope="module")
def dev():
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


def tap_window(window, dev, point: QPoint) -> None:
    QTest.touchEvent(window, dev).press(0, point).commit()
    QTest.touchEvent(window, dev).release(0, point).commit()
    QApplication.processEvents()


@pytest.fixture
def holding(qtbot, tmp_path):
    broken = tmp_path / "content.db"
    broken.write_bytes(b"this is not a database")  # content unavailable: holding screen
    settings = Settings(db_path=str(broken), idle_timeout_s=30, countdown_s=10)
    kiosk = build_kiosk(settings, windowed=True, size=(1920, 1080), clock=FakeClock(100.0))
    qtbot.addWidget(kiosk.window)
    kiosk.window.show()
    kiosk.slideshow.start()
    qtbot.waitExposed(kiosk.window)
    yield kiosk
    kiosk.visitor.close()
    kiosk.source.close()


def test_a_touch_on_the_holding_screen_says_back_soon_in_both_languages(holding, dev):
    show, visitor = holding.slideshow, holding.visitor
    explore = holding.explore
    assert show.holding and show.empty.text() == (
        "Nội dung đang được cập nhật · Content is being updated"
    )
    assert not show.hint.isVisible()  # no "touch to explore" where a touch leads nowhere
    assert not show.back_soon.isVisible()
    tap_window(holding.window, dev, QPoint(960, 540))
    assert visitor.state is State.ATTRACT  # explore did not open on empty pages
    assert not explore.isVisible()
    assert show.back_soon.isVisible()
    text = show.back_soon.text()
    assert "Sẽ sớm trở lại" in text and "Back soon" in text
    assert show.back_soon_timer.isActive() and show.back_soon_timer.interval() <= 10_000
    show.back_soon_timer.timeout.emit()  # its time is up (no real waiting)
    assert not show.back_soon.isVisible()


def test_once_content_arrives_a_touch_opens_explore_again(holding, dev, tmp_path):
    db = tmp_path / "good.db"
    build_db(db, SEED)
    content = load_content(db)
    holding.slideshow.set_content(content)
    holding.explore.set_content(content)
    tap_window(holding.window, dev, QPoint(960, 540))
    visitor = holding.visitor
    assert visitor.state is State.EXPLORE
    assert not holding.slideshow.back_soon.isVisible()


def test_home_offers_no_tile_for_a_topic_with_nothing_in_it(qtbot, seed_content):
    theme = theme_for_size(1920, 1080, load_fonts())
    only_milestones = Content(sources=seed_content.sources, milestones=seed_content.milestones)
    home = HomeScreen(theme, "vi", only_milestones)
    qtbot.addWidget(home)
    home.resize(1920, 1000)
    home.show()
    qtbot.waitExposed(home)
    assert [t for t, tile in home.tiles.items() if tile.isVisible()] == ["timeline"]
    home.set_content(seed_content)
    assert all(tile.isVisible() for tile in home.tiles.values())
