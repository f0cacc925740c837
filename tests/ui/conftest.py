"""Fixtures shared by the explore-screen tests: a real explore window, a touch screen."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest

from kiosk.ui.explore import ExploreView
from kiosk.ui.fonts import load_fonts
from kiosk.ui.theme import stylesheet, theme_for_size


@pytest.fixture(scope="module")
def touchscreen():
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


@pytest.fixture
def explore_window(qtbot):
    """``explore_window(content, size=(1920, 1080), lang="vi")``: the whole explore view
    (the real timeline included) shown in a window, without motion."""

    def make(content, size=(1920, 1080), lang="vi"):
        theme = theme_for_size(*size, load_fonts())
        view = ExploreView(content, theme, lang, reduced_motion=True)
        view.setStyleSheet(stylesheet(theme) + view.styleSheet())
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        return view

    return make


@pytest.fixture
def make_view(explore_window):
    """``make_view(qtbot, content, size=..., lang=...)``: ``explore_window`` with the
    argument order the explore tests use."""
    return lambda _qtbot, content, size=(1920, 1080), lang="vi": explore_window(content, size, lang)
