"""Touch widgets with real Qt touch events and with the mouse: big targets, instant press
feedback, click only on release inside, one-finger swipes and taps, no menus or focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.content.clock import FakeClock
from kiosk.ui.fonts import load_fonts
from kiosk.ui.theme import theme_for_size
from kiosk.ui.touch import Chip, SwipeDetector, TouchButton

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def dev():
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


@pytest.fixture
def theme(qapp):
    return theme_for_size(1920, 1080, load_fonts())


def _shown(qtbot, widget, size=None):
    qtbot.addWidget(widget)
    if size:
        widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    if isinstance(widget, TouchButton):
        # A synchronous repaint needs a window that is on screen and painted once; on a
        # loaded machine exposure can lag behind show(), so wait for the first paint.
        qtbot.waitUntil(lambda: widget.paints > 0, timeout=3000)
    return widget


def test_button_is_at_least_96px_and_scales_with_the_screen(qtbot, qapp):
    small = TouchButton("OK", theme_for_size(1920, 1080, load_fonts()))
    big = TouchButton("OK", theme_for_size(3840, 2160, load_fonts()))
    portrait = TouchButton("OK", theme_for_size(1080, 1920, load_fonts()))
    assert small.sizeHint().height() >= 96 and small.sizeHint().width() >= 96
    assert big.sizeHint().height() >= 192
    assert portrait.sizeHint().height() >= 96


def test_touch_tap_clicks_and_paints_pressed_state_at_once(qtbot, theme, dev):
    button = _shown(qtbot, TouchButton("Dòng thời gian", theme))
    centre = button.rect().center()
    QTest.touchEvent(button, dev).press(0, centre).commit()
    # Painted synchronously during the press: no event-loop turn needed.
    assert button.isDown() and button.press_paints >= 1
    assert button.colors()[0] == theme.accent
    with qtbot.waitSignal(button.clicked, timeout=1000):
        QTest.touchEvent(button, dev).release(0, centre).commit()
    assert not button.isDown()


def test_mouse_click_works_too(qtbot, theme):
    button = _shown(qtbot, TouchButton("Timeline", theme))
    with qtbot.waitSignal(button.clicked, timeout=1000):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_release_outside_does_not_click(qtbot, theme, dev):
    host = _shown(qtbot, QWidget(), (600, 400))
    button = TouchButton("✕", theme, parent=host)
    button.move(50, 50)
    button.show()
    clicks = []
    button.clicked.connect(lambda: clicks.append(1))
    inside = button.geometry().center()
    QTest.touchEvent(host, dev).press(0, inside).commit()
    QTest.touchEvent(host, dev).move(0, QPoint(500, 350)).commit()
    QTest.touchEvent(host, dev).release(0, QPoint(500, 350)).commit()
    qtbot.wait(1)
    assert clicks == []


def test_no_focus_no_context_menu(theme):
    button = TouchButton("x", theme)
    assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert button.contextMenuPolicy() == Qt.ContextMenuPolicy.PreventContextMenu


def test_label_is_kept_literally_and_normalised(qtbot, theme):
    # Drawn with QPainter.drawText, which never interprets markup; the text is kept as given
    # (a category named "<b>x</b>" reads "<b>x</b>") and in NFC so diacritics stack right.
    button = _shown(qtbot, TouchButton("<b>x</b><img src=a>", theme))
    assert button.text() == "<b>x</b><img src=a>"
    decomposed = "Giải thưởng".replace("ả", "a\u0309").replace("ở", "o\u031b\u0309")
    assert decomposed != "Giải thưởng"
    button.setText(decomposed)
    assert button.text() == "Giải thưởng"


def test_chip_toggles_checked_on_tap(qtbot, theme, dev):
    chip = _shown(qtbot, Chip("2022", theme, value=2022))
    assert chip.isCheckable() and not chip.isChecked()
    centre = chip.rect().center()
    QTest.touchEvent(chip, dev).press(0, centre).commit()
    QTest.touchEvent(chip, dev).release(0, centre).commit()
    assert chip.isChecked()
    assert chip.colors()[0] == theme.text  # a checked chip is drawn filled


def _drag(widget, dev, start, end, steps=6, clock=None, seconds=0.3):
    QTest.touchEvent(widget, dev).press(0, start).commit()
    for i in range(1, steps + 1):
        if clock:
            clock.advance(seconds / steps)
        p = start + (end - start) * i / steps
        QTest.touchEvent(widget, dev).move(0, p).commit()
    QTest.touchEvent(widget, dev).release(0, end).commit()


@pytest.fixture
def surface(qtbot):
    return _shown(qtbot, QWidget(), (1000, 600))


def test_swipe_left_is_next_and_right_is_previous_with_touch(qtbot, surface, dev):
    clock = FakeClock()
    swipe = SwipeDetector(surface, clock=clock)
    got = []
    swipe.swiped.connect(got.append)
    _drag(surface, dev, QPoint(700, 300), QPoint(400, 310), clock=clock)
    _drag(surface, dev, QPoint(300, 300), QPoint(600, 290), clock=clock)
    assert got == [1, -1]


def test_swipe_with_the_mouse(qtbot, surface):
    swipe = SwipeDetector(surface, clock=FakeClock())
    got = []
    swipe.swiped.connect(got.append)
    QTest.mousePress(surface, Qt.MouseButton.LeftButton, pos=QPoint(800, 300))
    QTest.mouseMove(surface, QPoint(600, 300))
    QTest.mouseRelease(surface, Qt.MouseButton.LeftButton, pos=QPoint(500, 300))
    assert got == [1]


def test_short_slow_or_vertical_moves_are_not_swipes(qtbot, surface, dev):
    clock = FakeClock()
    swipe = SwipeDetector(surface, clock=clock)
    got = []
    swipe.swiped.connect(got.append)
    # 50 px over 1 s: under 8 % of 1000 px and far too slow for a flick.
    _drag(surface, dev, QPoint(500, 300), QPoint(450, 300), clock=clock, seconds=1.0)
    # Far, but mostly vertical.
    _drag(surface, dev, QPoint(500, 100), QPoint(400, 500), clock=clock)
    assert got == []
    # The same 50 px as a fast flick (50 ms) counts.
    _drag(surface, dev, QPoint(500, 300), QPoint(450, 300), clock=clock, seconds=0.05)
    assert got == [1]


def test_tap_is_reported_with_its_position(qtbot, surface, dev):
    swipe = SwipeDetector(surface, clock=FakeClock())
    taps, swipes = [], []
    swipe.tapped.connect(taps.append)
    swipe.swiped.connect(swipes.append)
    QTest.touchEvent(surface, dev).press(0, QPoint(120, 80)).commit()
    QTest.touchEvent(surface, dev).release(0, QPoint(124, 82)).commit()
    assert swipes == [] and len(taps) == 1
    assert abs(taps[0].x() - 124) <= 3 and abs(taps[0].y() - 82) <= 3


def test_pressed_look_is_painted_inside_the_press_handler(qtbot, theme):
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    button = _shown(qtbot, TouchButton("Giải thưởng", theme))
    qtbot.wait(1)  # let the first paint happen
    centre = QPointF(button.rect().center())
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        centre,
        button.mapToGlobal(centre),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # sendEvent runs no event loop: an update() would only be painted later.
    QApplication.sendEvent(button, press)
    assert button.isDown() and button.press_paints >= 1


class TouchSurface(QWidget):
    """A widget that takes touch itself (no mouse synthesis): the detector's touch path."""

    def __init__(self):
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)

    def event(self, event):
        from PySide6.QtCore import QEvent

        if event.type() in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
        ):
            event.accept()
            return True
        return super().event(event)


def test_swipe_from_raw_touch_events_and_two_fingers_cancel(qtbot, dev):
    surface = _shown(qtbot, TouchSurface(), (1000, 600))
    swipe = SwipeDetector(surface, clock=FakeClock())
    got = []
    swipe.swiped.connect(got.append)
    _drag(surface, dev, QPoint(700, 300), QPoint(300, 300))
    assert got == [1]
    # A second finger joins: a pinch or a two-hand touch, not a one-finger swipe.
    QTest.touchEvent(surface, dev).press(0, QPoint(700, 300)).commit()
    QTest.touchEvent(surface, dev).move(0, QPoint(600, 300)).press(1, QPoint(200, 200)).commit()
    QTest.touchEvent(surface, dev).move(0, QPoint(300, 300)).move(1, QPoint(250, 200)).commit()
    end = QTest.touchEvent(surface, dev).release(0, QPoint(300, 300))
    end.release(1, QPoint(250, 200)).commit()
    assert got == [1]


def test_swipe_detector_reports_the_drag_and_its_end(qtbot, surface, dev):
    clock = FakeClock()
    swipe = SwipeDetector(surface, clock=clock)
    moves, ends, swipes = [], [], []
    swipe.moved.connect(moves.append)
    swipe.ended.connect(lambda: ends.append(1))
    swipe.swiped.connect(swipes.append)
    _drag(surface, dev, QPoint(500, 300), QPoint(470, 300), steps=3, clock=clock, seconds=1.0)
    assert moves == [-10, -20, -30] and ends == [1] and swipes == []  # too short: it ends
    _drag(surface, dev, QPoint(700, 300), QPoint(300, 300), steps=2, clock=clock)
    assert swipes == [1] and ends == [1]  # a swipe is not an "end without a swipe"
