"""The staged start-up (first frame, then content polling, chart warm-up and explore mode in
steps) is correct under any timing: each seed shifts every step by a random delay, lets a
clock jump, and drops touches, content changes and language switches in at random moments.
Whatever the order, explore mode ends up whole and a tap opens it."""

import random
import shutil
import sqlite3
import time

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.content.attract import State
from kiosk.content.clock import FakeClock
from kiosk.system.config import Settings
from kiosk.ui.app import attach_explore_mode, build_kiosk, start_services
from kiosk.ui.early_touch import EarlyTouches
from kiosk.ui.explore import ExploreView
from kiosk.ui.explore.view import SCREENS

pytestmark = pytest.mark.gui

SEEDS = range(6)


@pytest.fixture(scope="module")
def dev():
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


def _tap(k, dev):
    point = k.window.rect().center()
    QTest.touchEvent(k.window, dev).press(0, point).commit()
    QTest.touchEvent(k.window, dev).release(0, point).commit()


def _jittered(rng, real):
    """Wrap a step so that it takes a random 0-25 ms (a busy machine, a slow disk)."""

    def step(*args, **kwargs):
        time.sleep(rng.choice((0, 0, 0.002, 0.01, 0.025)))
        return real(*args, **kwargs)

    return step


@pytest.mark.parametrize("seed", SEEDS)
def test_staged_start_up_under_random_timing(qtbot, tmp_path, seed_db_path, dev, seed, monkeypatch):
    rng = random.Random(seed)
    db = tmp_path / "content.db"
    shutil.copy(seed_db_path, db)
    monkeypatch.setattr(ExploreView, "build_step", _jittered(rng, ExploreView.build_step))
    clock = FakeClock(1000.0)
    k = build_kiosk(
        Settings(db_path=str(db), idle_timeout_s=30, countdown_s=5),
        windowed=True,
        size=(1280, 720),
        clock=clock,
        attach_explore=False,
    )
    qtbot.addWidget(k.window)
    k.early_touches = EarlyTouches(k.app, lambda: attach_explore_mode(k))
    k.window.show()
    k.slideshow.start()
    qtbot.waitExposed(k.window)
    start_services(k)
    k.poll_timer.stop()

    def change_content():
        conn = sqlite3.connect(db)
        conn.execute("UPDATE indicators SET value = value + 1 WHERE key = 'procedures'")
        conn.commit()
        conn.close()
        k.poll_content()

    def switch_language():
        explore = k.explore
        if explore is not None:
            explore.toggle_language()

    actions = [
        lambda: attach_explore_mode(k),
        lambda: _tap(k, dev),
        change_content,
        switch_language,
        lambda: clock.advance(rng.choice((0.5, 5, 40))),  # a clock jump mid-build
        lambda: k.visitor and k.visitor.tick(),
    ]
    fired = []
    for _ in range(rng.randint(3, 8)):
        action = rng.choice(actions)
        QTimer.singleShot(rng.randint(0, 900), lambda a=action: fired.append(a) or a())
    QTimer.singleShot(rng.randint(0, 1200), lambda: attach_explore_mode(k))  # the timer
    qtbot.waitUntil(lambda: k.explore is not None and k.explore.built, timeout=15_000)
    qtbot.wait(950)  # every scheduled action has fired
    explore, visitor = k.explore, k.visitor
    try:
        assert set(explore.screens) == set(SCREENS)
        assert k.chart_warm_up._thread.join(10) is None
        # Whatever happened, the kiosk gets back to attract and a tap opens explore mode.
        clock.advance(60)
        visitor.tick()
        clock.advance(10)
        visitor.tick()
        assert visitor.state is State.ATTRACT
        _tap(k, dev)
        QApplication.processEvents()
        assert visitor.state is State.EXPLORE
        assert k.window.stack.currentWidget() is explore and explore.current_screen == "home"
        for name in SCREENS[1:]:
            explore.show_screen(name)
            assert explore.stack.currentWidget() is explore.screens[name]
        assert QPoint(0, 0) == explore.pos()
    finally:
        visitor.close()


@pytest.mark.parametrize("failing", ["HomeScreen", "ChartBrowser", "AboutScreen"])
def test_a_build_step_that_fails_once_leaves_explore_whole(qtbot, seed_content, failing, caplog):
    import kiosk.ui.explore.view as view_module
    from kiosk.ui.fonts import load_fonts
    from kiosk.ui.theme import theme_for_size

    real = getattr(view_module, failing)
    calls = []

    class Flaky(real):  # a subclass: the view checks screens with isinstance
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            calls.append(1)
            if len(calls) == 1:  # a one-off, half-way through building the screen
                raise AttributeError("'NoneType' object has no attribute 'x'")

    theme = theme_for_size(1280, 720, load_fonts())
    setattr(view_module, failing, Flaky)
    try:
        view = ExploreView(seed_content, theme, "vi", staged=True)
        qtbot.addWidget(view)
        view.build_in_steps()
        qtbot.waitUntil(lambda: view.built, timeout=10_000)
    finally:
        setattr(view_module, failing, real)
    assert set(view.screens) == set(SCREENS)
    view.go_home()
    for name in SCREENS[1:]:
        view.show_screen(name)
    assert "build step failed" in caplog.text
