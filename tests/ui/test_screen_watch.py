"""The window follows screen changes: resolution change, unplug/replug, primary change."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.content.clock import FakeClock
from kiosk.store import build_db
from kiosk.system.config import DEFAULTS
from kiosk.system.paths import seed_dir
from kiosk.ui.app import build_kiosk
from kiosk.ui.screen_watch import watch_screens


class StandIn(QWidget):
    """Records where it was placed; places itself like the real window does."""

    def __init__(self):
        super().__init__()
        self.placed = []

    def place_on_screen(self, screen):
        self.placed.append(screen)
        self.setGeometry(screen.geometry())


class FakeScreen:
    def __init__(self, rect: QRect, name="HDMI-1"):
        self.rect = rect
        self._name = name

    def geometry(self):
        return self.rect

    def name(self):
        return self._name


def test_a_burst_of_changes_relayouts_once_on_the_new_geometry(qapp):
    window = StandIn()
    watch = watch_screens(qapp, window, screen_index=0)
    new = FakeScreen(QRect(0, 0, 1080, 1920))  # the panel was turned to portrait
    watch.target_screen = lambda: new
    screen = QGuiApplication.primaryScreen()
    for _ in range(3):
        watch.on_geometry_changed(new, new.rect)
    watch.on_primary_changed(screen)
    assert watch.settle.isActive() and window.placed == []  # waiting for the burst to end
    watch.settle.timeout.emit()  # the settle timer fires (no real wait)
    assert window.placed == [new]
    assert window.geometry() == QRect(0, 0, 1080, 1920)
    assert not watch.settle.isActive()
    window.deleteLater()


def test_screen_signals_are_connected(qapp):
    window = StandIn()
    watch = watch_screens(qapp, window)
    screen = QGuiApplication.primaryScreen()
    # A real signal from the real screen object reaches the watch.
    screen.geometryChanged.emit(screen.geometry())
    assert watch.settle.isActive()
    watch.relayout_now()
    assert window.placed == [screen]
    qapp.screenAdded.emit(screen)
    qapp.screenRemoved.emit(screen)
    assert watch.settle.isActive()
    window.deleteLater()


def test_missing_configured_screen_falls_back_to_primary(qapp):
    window = StandIn()
    watch = watch_screens(qapp, window, screen_index=7)
    assert watch.target_screen() is QGuiApplication.primaryScreen()
    window.deleteLater()


def test_no_screen_at_all_leaves_the_window_alone(qapp):
    window = StandIn()
    watch = watch_screens(qapp, window)
    watch.target_screen = lambda: None
    watch.relayout_now()
    assert window.placed == []
    window.deleteLater()


@pytest.fixture
def real_window(qapp, tmp_path):
    db = tmp_path / "content.db"
    build_db(db, seed_dir())
    kiosk = build_kiosk(dataclasses.replace(DEFAULTS, db_path=str(db)), clock=FakeClock())
    kiosk.window.place_on_screen(None)
    QTest.qWaitForWindowExposed(kiosk.window)
    yield kiosk.window
    kiosk.slideshow.pause()
    kiosk.window.close()
    kiosk.window.deleteLater()
    kiosk.source.close()


def test_real_window_is_laid_out_again_on_the_screen_geometry(qapp, real_window):
    screen = QGuiApplication.primaryScreen()
    watch = watch_screens(qapp, real_window)
    # As after a resolution change: the window no longer matches the screen.
    real_window.showNormal()
    real_window.setGeometry(100, 100, 640, 480)
    QTest.qWait(20)
    assert real_window.geometry() != screen.geometry()
    screen.geometryChanged.emit(screen.geometry())
    watch.relayout_now()
    QTest.qWait(20)
    assert real_window.isFullScreen()
    assert real_window.geometry() == screen.geometry()
    assert real_window.slideshow.width() == screen.geometry().width()
