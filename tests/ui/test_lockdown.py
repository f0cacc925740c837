"""Lock-down on the real kiosk window: real key and mouse events, under Xvfb in `make test`.

Each escape key is sent as a real key event; afterwards the window must still be visible,
fullscreen and the active window, and a shortcut bound to that key must not have fired
(a control test shows the same shortcut does fire without the lock-down).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QInputDevice, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
)

from kiosk.content.clock import FakeClock
from kiosk.store import build_db
from kiosk.system.config import DEFAULTS
from kiosk.system.paths import seed_dir
from kiosk.system.pin import hash_pin
from kiosk.ui.app import build_kiosk
from kiosk.ui.lockdown import STAFF_EXIT_CODE, install_lockdown

PIN = "2580"
PIN_HASH = hash_pin(PIN, n=4, r=1, p=1)  # cheap scrypt cost for tests; same format
ESCAPE_KEYS = [
    ("Alt+F4", Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    ("Esc", Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    ("Ctrl+Q", Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ("Ctrl+W", Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ("F11", Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    ("Alt+Tab", Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    ("Meta", Qt.Key.Key_Meta, Qt.KeyboardModifier.MetaModifier),
    ("Super_L", Qt.Key.Key_Super_L, Qt.KeyboardModifier.NoModifier),
    ("Menu", Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
]


@pytest.fixture(scope="module")
def content_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lockdown") / "content.db"
    build_db(path, seed_dir())
    return path


@pytest.fixture
def kiosk(qapp, content_db):
    settings = dataclasses.replace(DEFAULTS, db_path=str(content_db), staff_pin_hash=PIN_HASH)
    kiosk = build_kiosk(settings, windowed=False, clock=FakeClock())
    kiosk.window.place_on_screen(None)
    kiosk.window.activateWindow()
    QTest.qWaitForWindowExposed(kiosk.window)
    yield kiosk
    lockdown = kiosk.lockdown
    if lockdown is not None:
        qapp.removeEventFilter(lockdown)
        lockdown.allow_close = True
        for scheme in ("http", "https", "file", "mailto", "ftp"):
            QDesktopServices.unsetUrlHandler(scheme)
    kiosk.slideshow.pause()
    kiosk.window.close()
    kiosk.window.deleteLater()
    kiosk.source.close()
    QTest.qWait(0)


def lock(kiosk, on_staff_exit=None, pin_hash=PIN_HASH, terminal_exit=False):
    settings = dataclasses.replace(kiosk.settings, staff_pin_hash=pin_hash)
    lockdown = install_lockdown(
        kiosk.app,
        kiosk.window,
        settings,
        on_staff_exit=on_staff_exit,
        clock=FakeClock(),
        terminal_exit=terminal_exit,
    )
    kiosk.lockdown = lockdown
    return lockdown


def shortcut_counter(window, sequence: str) -> list:
    fired: list = []
    shortcut = QShortcut(QKeySequence(sequence), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(lambda: fired.append(sequence))
    return fired


def assert_still_in_charge(window):
    assert window.isVisible()
    assert window.isFullScreen()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert QApplication.activeWindow() is window


def test_window_is_fullscreen_and_active_to_start_with(kiosk):
    assert_still_in_charge(kiosk.window)


def test_control_without_lockdown_the_shortcut_fires(kiosk):
    # Shows the key test below can fail: without the filter Ctrl+Q reaches the shortcut.
    fired = shortcut_counter(kiosk.window, "Ctrl+Q")
    QTest.keyClick(kiosk.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["Ctrl+Q"]


@pytest.mark.parametrize(("name", "key", "modifier"), ESCAPE_KEYS, ids=[k[0] for k in ESCAPE_KEYS])
def test_escape_keys_do_nothing(kiosk, name, key, modifier):
    lockdown = lock(kiosk)
    fired = shortcut_counter(kiosk.window, QKeySequence(modifier.value | key.value).toString())
    before = lockdown.swallowed
    QTest.keyClick(kiosk.window, key, modifier)
    QTest.qWait(10)
    assert lockdown.swallowed > before, f"{name} reached the window"
    assert fired == []
    assert_still_in_charge(kiosk.window)


def test_plain_keys_are_not_swallowed(kiosk):
    lockdown = lock(kiosk)
    QTest.keyClick(kiosk.window, Qt.Key.Key_Right)
    QTest.keyClick(kiosk.window, Qt.Key.Key_A)
    assert lockdown.swallowed == 0


def test_close_is_refused_in_kiosk_mode(kiosk):
    lock(kiosk)
    assert kiosk.window.close() is False
    QTest.qWait(10)
    assert_still_in_charge(kiosk.window)


def test_right_click_opens_no_menu(kiosk):
    lockdown = lock(kiosk)
    asked: list = []
    target = kiosk.window.stack.currentWidget()
    # A widget that would open its own menu: the request must never arrive.
    target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    target.customContextMenuRequested.connect(asked.append)
    QTest.mouseClick(target, Qt.MouseButton.RightButton, pos=QPoint(300, 300))
    QTest.qWait(10)
    assert asked == []
    assert lockdown.swallowed >= 1
    assert QApplication.activePopupWidget() is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
    assert_still_in_charge(kiosk.window)


def tap_corner(window, times=5):
    for _ in range(times):
        QTest.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))


def test_staff_gesture_and_pin_pad(kiosk, caplog):
    exits: list = []
    lockdown = lock(kiosk, on_staff_exit=lambda: exits.append(True))
    tap_corner(kiosk.window, 4)
    assert not lockdown.pad.isVisible()
    tap_corner(kiosk.window, 1)
    assert lockdown.pad.isVisible()
    assert lockdown.pad.geometry() == kiosk.window.rect()
    # Big buttons: at least a ninth of the short side of the screen.
    short = min(kiosk.window.width(), kiosk.window.height())
    assert lockdown.pad.buttons["5"].height() >= short // 9
    # A wrong PIN, typed on the pad.
    for digit in "1111":
        QTest.mouseClick(lockdown.pad.buttons[digit], Qt.MouseButton.LeftButton)
    assert lockdown.pad.dots.text() == "●●●●"
    QTest.mouseClick(lockdown.pad.buttons["OK"], Qt.MouseButton.LeftButton)
    assert exits == []
    assert "Wrong PIN" in lockdown.pad.message.text()
    QTest.mouseClick(lockdown.pad.buttons["⌫"], Qt.MouseButton.LeftButton)
    assert lockdown.pad.message.text().strip() == ""  # cleared once typing starts again
    # The right one.
    for digit in PIN:
        QTest.mouseClick(lockdown.pad.buttons[digit], Qt.MouseButton.LeftButton)
    QTest.mouseClick(lockdown.pad.buttons["OK"], Qt.MouseButton.LeftButton)
    assert exits == [True]
    assert not lockdown.pad.isVisible()


def test_default_staff_exit_quits_with_the_staff_exit_code(kiosk, monkeypatch):
    codes: list = []
    monkeypatch.setattr(kiosk.app, "exit", codes.append)
    lockdown = lock(kiosk)
    lockdown.staff_gesture()
    lockdown.submit_pin(PIN)
    assert codes == [STAFF_EXIT_CODE]
    assert lockdown.allow_close


def test_locked_pad_says_so_and_refuses_the_right_pin(kiosk):
    exits: list = []
    lockdown = lock(kiosk, on_staff_exit=lambda: exits.append(True))
    lockdown.staff_gesture()
    for _ in range(5):
        lockdown.submit_pin("0000")
    assert "Locked for 60 s" in lockdown.pad.message.text()
    lockdown.pad.press("1")
    assert "Locked" in lockdown.pad.message.text()  # stays while locked
    lockdown.submit_pin(PIN)
    assert exits == []


def test_pin_pad_cancel_and_backspace(kiosk):
    lockdown = lock(kiosk)
    lockdown.staff_gesture()
    for key in "12⌫":
        lockdown.pad.press(key)
    assert lockdown.pad.entered == "1"
    QTest.mouseClick(lockdown.pad.cancel_button, Qt.MouseButton.LeftButton)
    assert not lockdown.pad.isVisible() and lockdown.pad.entered == ""


def test_touch_taps_open_the_pad(kiosk):
    lockdown = lock(kiosk)
    device = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    for _ in range(5):
        QTest.touchEvent(kiosk.window, device).press(0, QPoint(12, 12), kiosk.window).commit()
        QTest.touchEvent(kiosk.window, device).release(0, QPoint(12, 12), kiosk.window).commit()
    assert lockdown.pad.isVisible()


def test_no_pin_hash_means_no_staff_exit(kiosk, caplog):
    lockdown = lock(kiosk, pin_hash="")
    with caplog.at_level(logging.WARNING, logger="kiosk.lockdown"):
        tap_corner(kiosk.window)
    assert not lockdown.pad.isVisible()
    assert "staff exit is disabled" in caplog.text


def test_started_from_a_terminal_without_pin_the_gesture_leaves_at_once(kiosk, caplog):
    """`make run` on a developer's machine: no PIN configured, the five taps leave."""
    exits: list = []
    lockdown = lock(
        kiosk, on_staff_exit=lambda: exits.append(True), pin_hash="", terminal_exit=True
    )
    tap_corner(kiosk.window, 4)
    assert exits == []
    with caplog.at_level(logging.WARNING, logger="kiosk.lockdown"):
        tap_corner(kiosk.window, 1)
    assert exits == [True] and not lockdown.pad.isVisible()
    assert "started from a terminal" in caplog.text


def test_started_from_a_terminal_with_a_pin_still_asks_for_it(kiosk):
    exits: list = []
    lockdown = lock(kiosk, on_staff_exit=lambda: exits.append(True), terminal_exit=True)
    tap_corner(kiosk.window)
    assert lockdown.pad.isVisible() and exits == []


def test_links_never_open_a_browser(kiosk, caplog):
    lock(kiosk)
    with caplog.at_level(logging.WARNING, logger="kiosk.lockdown"):
        QDesktopServices.openUrl(QUrl("https://example.com/"))
        QDesktopServices.openUrl(QUrl.fromLocalFile("/etc/passwd"))
    assert "refused to open https://example.com/" in caplog.text
    assert "refused to open file:///etc/passwd" in caplog.text


def test_no_text_input_file_dialog_or_external_link_in_the_window(kiosk):
    lock(kiosk)
    editable = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QFileDialog)
    assert [w for t in editable for w in kiosk.window.findChildren(t)] == []
    for label in kiosk.window.findChildren(QLabel):
        assert not label.openExternalLinks(), label.text()
        assert not (label.textInteractionFlags() & Qt.TextInteractionFlag.TextEditable)


def _socket_inodes() -> set[str]:
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _network_inodes() -> set[str]:
    inodes = set()
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        try:
            lines = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        inodes.update(line.split()[9] for line in lines if len(line.split()) > 9)
    return inodes


def test_the_kiosk_listens_on_no_network_port(kiosk):
    lock(kiosk)
    kiosk.slideshow.start()
    QTest.qWait(50)
    mine = _socket_inodes()
    assert mine, "expected at least the X11 unix socket"  # guards the inspection itself
    assert not mine & _network_inodes()


def test_run_kiosk_installs_the_lockdown(qapp, content_db, monkeypatch):
    """The real start-up path (run_kiosk, kiosk mode) locks the window down."""
    import sys

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    import kiosk.ui.lockdown as lockdown_module
    from kiosk.ui.app import run_kiosk

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_kiosk installs its own
    installed = []
    real_install = lockdown_module.install_lockdown

    def spy(*args, **kwargs):
        installed.append(real_install(*args, **kwargs))
        return installed[-1]

    monkeypatch.setattr(lockdown_module, "install_lockdown", spy)
    seen = {}

    def probe():
        window = installed[0].window
        seen["close_refused"] = window.close() is False
        QTest.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
        QTest.keyClick(window, Qt.Key.Key_Escape)
        seen["visible"] = window.isVisible()
        seen["fullscreen"] = window.isFullScreen()
        seen["swallowed"] = installed[0].swallowed
        cursor = QGuiApplication.overrideCursor()
        seen["blank_cursor"] = cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor

    QTimer.singleShot(400, probe)
    settings = dataclasses.replace(DEFAULTS, db_path=str(content_db), staff_pin_hash=PIN_HASH)
    try:
        code = run_kiosk(settings, windowed=False, quit_after_s=1.0)
    finally:
        QGuiApplication.restoreOverrideCursor()
        for lockdown in installed:
            qapp.removeEventFilter(lockdown)
            lockdown.allow_close = True
            lockdown.window.close()
            lockdown.window.deleteLater()
        for scheme in ("http", "https", "file", "mailto", "ftp"):
            QDesktopServices.unsetUrlHandler(scheme)
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_kiosk_handler", False)]:
            root.removeHandler(handler)
    assert code == 0
    assert len(installed) == 1
    swallowed = seen.pop("swallowed")
    assert seen == {
        "close_refused": True,
        "visible": True,
        "fullscreen": True,
        "blank_cursor": True,
    }
    assert swallowed >= 4  # Alt+F4 and Esc, press and release at least
