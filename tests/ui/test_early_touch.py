"""A touch before explore mode is attached (just after the first frame) attaches it at once
and is replayed into the visitor controller: the kiosk wakes, on the finger's lift."""

import shutil

import pytest
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.content.attract import State
from kiosk.content.clock import FakeClock
from kiosk.system.config import Settings
from kiosk.ui.app import attach_explore_mode, build_kiosk
from kiosk.ui.early_touch import EarlyTouches

pytestmark = pytest.mark.gui


@pytest.fixture
def kiosk(qtbot, tmp_path, seed_db_path):
    db = tmp_path / "content.db"
    shutil.copy(seed_db_path, db)
    k = build_kiosk(
        Settings(db_path=str(db)),
        windowed=True,
        size=(960, 540),
        clock=FakeClock(100.0),
        attach_explore=False,
    )
    qtbot.addWidget(k.window)
    k.window.show()
    k.slideshow.start()
    qtbot.waitExposed(k.window)
    k.early_touches = EarlyTouches(k.app, lambda: attach_explore_mode(k))
    yield k
    if k.visitor is not None:
        k.visitor.close()


@pytest.mark.parametrize("lift_before_attach", [True, False])
def test_a_touch_before_explore_is_attached_is_answered(kiosk, qtbot, lift_before_attach):
    dev = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    point = kiosk.window.rect().center()
    QTest.touchEvent(kiosk.window, dev).press(0, point).commit()
    if lift_before_attach:
        QTest.touchEvent(kiosk.window, dev).release(0, point).commit()
    qtbot.waitUntil(lambda: kiosk.visitor is not None, timeout=5000)
    visitor, explore = kiosk.visitor, kiosk.explore
    assert visitor.state is State.EXPLORE
    if not lift_before_attach:
        assert kiosk.window.stack.currentWidget() is not explore  # not under the finger
        QTest.touchEvent(kiosk.window, dev).release(0, point).commit()
    QApplication.processEvents()
    assert kiosk.window.stack.currentWidget() is explore and explore.current_screen == "home"
    assert kiosk.early_touches is None  # handed over, no longer watching
    attach_explore_mode(kiosk)  # the start-up timer firing later changes nothing
    assert kiosk.visitor is visitor
