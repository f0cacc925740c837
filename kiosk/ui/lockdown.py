"""Lock-down: a visitor cannot leave the kiosk; staff can, with a hidden gesture and a PIN.

``install_lockdown(app, window, settings, on_staff_exit=None, clock=None) -> Lockdown``
installs one application-wide event filter that, in kiosk mode:

* swallows the keys that close, switch or escape a window: Esc, F1–F35 (F11 = fullscreen),
  Alt+F4, Alt+Tab, Ctrl+Q, Ctrl+W, the Super/Meta and Menu keys, and every Ctrl/Alt/Meta
  combination (shortcuts), including their ShortcutOverride events, so no QShortcut fires;
* swallows right-clicks and context-menu events (no menu ever opens);
* refuses ``Close`` events on the kiosk window (a window manager's Alt+F4, ``window.close()``);
* routes every URL the app might open (``QDesktopServices``) to a no-op, so no browser opens.

Staff leave with five taps (touch or mouse) in the top-left corner within 3 s, then the PIN
on a big on-screen digit pad (no keyboard needed), checked against ``settings.staff_pin_hash``
with ``kiosk.system.pin`` (five wrong PINs lock the pad for a minute). With no PIN hash
configured the staff exit is disabled and the log says so, except for a kiosk started by hand
from a terminal (``terminal_exit``: ``make run`` on a developer's machine), where the gesture leaves
at once: whoever typed the command already has the machine. On success ``on_staff_exit``
runs; the default quits with ``STAFF_EXIT_CODE``, which the systemd units list in
``RestartPreventExitStatus=`` so the unit stays down for maintenance instead of restarting.

The gesture logic (``kiosk.content.staff_gesture``) is plain Python with an injectable clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QInputDevice
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.content.clock import Clock, MonotonicClock
from kiosk.content.i18n import t
from kiosk.content.staff_gesture import CornerTapDetector
from kiosk.system.pin import PinAttempts

log = logging.getLogger("kiosk.lockdown")

# EX_TEMPFAIL: "the kiosk was stopped on purpose by staff"; see packaging/systemd/*.service.
STAFF_EXIT_CODE = 75
PIN_PAD_TIMEOUT_MS = 30_000


_ALWAYS_BLOCKED = {
    Qt.Key.Key_Escape,
    Qt.Key.Key_Meta,
    Qt.Key.Key_Super_L,
    Qt.Key.Key_Super_R,
    Qt.Key.Key_Hyper_L,
    Qt.Key.Key_Hyper_R,
    Qt.Key.Key_Menu,
    Qt.Key.Key_Close,
    Qt.Key.Key_Exit,
    Qt.Key.Key_Back,
    *(getattr(Qt.Key, f"Key_F{n}") for n in range(1, 36)),
}
_SHORTCUT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


_WATCHED_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.ContextMenu,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.Close,
    }
)


def is_blocked_key(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    """True for a key a visitor could use to close, switch or escape the window."""
    return key in _ALWAYS_BLOCKED or bool(modifiers & _SHORTCUT_MODIFIERS)


class PinPad(QWidget):
    """A full-window overlay with big digit buttons; the typed PIN shows only as dots."""

    def __init__(
        self,
        parent: QWidget,
        on_submit: Callable[[str], None],
        locked_for: Callable[[], float] = lambda: 0.0,
    ) -> None:
        super().__init__(parent)
        self.on_submit = on_submit
        self.locked_for = locked_for
        self.entered = ""
        self.setObjectName("pinPad")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        unit = max(48, min(parent.width(), parent.height()) // 9)
        self.setStyleSheet(
            f"#pinPad {{ background: rgba(5, 10, 20, 235); }}"
            f"QLabel {{ color: #F2F5FA; font-size: {unit // 3}px; }}"
            f"QPushButton {{ color: #F2F5FA; background: #22345A; border: none;"
            f" border-radius: {unit // 6}px; font-size: {unit // 2}px;"
            f" min-width: {unit}px; min-height: {unit}px; }}"
            f"QPushButton:pressed {{ background: #38BDF8; }}"
        )
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(t("pin.title", "vi"))
        self.dots = QLabel(" ")
        self.message = QLabel(" ")
        for label in (self.title, self.dots, self.message):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        grid = QGridLayout()
        grid.setSpacing(unit // 6)
        self.buttons: dict[str, QPushButton] = {}
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        for index, text in enumerate(labels):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, key=text: self.press(key))
            grid.addWidget(button, index // 3, index % 3)
            self.buttons[text] = button
        layout.addLayout(grid)
        # Which software and content this kiosk runs (set by the app; "" shows nothing).
        self.describe: Callable[[], str] = lambda: ""
        self.info = QLabel(" ")
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info.setStyleSheet(f"font-size: {unit // 5}px; color: #9FB3C8;")
        layout.addWidget(self.info)
        self.cancel_button = QPushButton(t("pin.cancel", "vi"))
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.close_pad)
        layout.addWidget(self.cancel_button)
        # Left open by a curious visitor, the pad goes away by itself.
        self.timeout = QTimer(self)
        self.timeout.setSingleShot(True)
        self.timeout.setInterval(PIN_PAD_TIMEOUT_MS)
        self.timeout.timeout.connect(self.close_pad)
        self.hide()

    def open_pad(self) -> None:
        self.entered = ""
        self.dots.setText(" ")
        self.message.setText(" ")
        self.info.setText(self.describe() or " ")
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.timeout.start()

    def close_pad(self) -> None:
        self.entered = ""
        self.timeout.stop()
        self.hide()

    def press(self, key: str) -> None:
        self.timeout.start()
        if key != "OK" and not self.locked_for():
            self.message.setText(" ")  # "wrong PIN" goes once staff start typing again
        if key == "⌫":
            self.entered = self.entered[:-1]
        elif key == "OK":
            entered, self.entered = self.entered, ""
            self.on_submit(entered)
        elif len(self.entered) < 12:
            self.entered += key
        self.dots.setText("●" * len(self.entered) or " ")


class Lockdown(QObject):
    """The installed lock-down: event filter, close guard, staff gesture and PIN pad."""

    def __init__(
        self,
        app: QApplication,
        window: QWidget,
        pin_hash: str,
        on_staff_exit: Callable[[], None] | None,
        clock: Clock,
        terminal_exit: bool = False,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.window = window
        self.pin_hash = pin_hash
        self.terminal_exit = terminal_exit
        self.allow_close = False
        self.on_staff_exit = on_staff_exit or self.quit_for_staff
        self.detector = CornerTapDetector(clock)
        self.attempts = PinAttempts(clock)
        self.pad = PinPad(window, self.submit_pin, self.attempts.locked_for)
        self.swallowed = 0
        self._last_tap: tuple[int | None, QWidget | None] = (None, None)

    # -- the filter ---------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        kind = event.type()
        # Called for every event in the app (paints, timers: hundreds a second while
        # animating), so everything else leaves after one set lookup.
        if kind not in _WATCHED_EVENTS:
            return False
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            if is_blocked_key(event.key(), event.modifiers()):
                event.accept()  # an accepted ShortcutOverride stops every QShortcut
                self.swallowed += 1
                return True
            return False
        if kind == QEvent.Type.ContextMenu:
            self.swallowed += 1
            return True
        if kind in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        ):
            if event.button() != Qt.MouseButton.LeftButton:
                self.swallowed += 1
                return True
            if kind == QEvent.Type.MouseButtonPress and not _from_touchscreen(event):
                self._tap(obj, event.timestamp(), event.globalPosition())
            return False
        if kind == QEvent.Type.TouchBegin and event.points():
            self._tap(obj, event.timestamp(), event.points()[0].globalPosition())
            return False
        if kind == QEvent.Type.Close and obj is self.window and not self.allow_close:
            event.ignore()
            log.info("close request refused (kiosk mode)")
            return True
        return False

    def _tap(self, obj, stamp: int, global_pos) -> None:
        # Only presses on the kiosk's own widgets; the QWindow copy of a real event is
        # dispatched again to the widget under the finger, and counting both would double it.
        if not isinstance(obj, QWidget):
            return
        if obj is not self.window and not self.window.isAncestorOf(obj):
            return
        # A press a child ignored propagates to its parents as the same event: count it once.
        last_stamp, last_obj = self._last_tap
        try:
            propagated = (
                stamp == last_stamp
                and last_obj is not None
                and obj is not last_obj
                and obj.isAncestorOf(last_obj)
            )
        except RuntimeError:  # the previous receiver was deleted meanwhile
            propagated = False
        self._last_tap = (stamp, obj)
        if propagated:
            return
        local = self.window.mapFromGlobal(global_pos.toPoint())
        if self.detector.tap(local.x(), local.y(), self.window.width(), self.window.height()):
            self.staff_gesture()

    # -- staff exit ---------------------------------------------------------------------
    def staff_gesture(self) -> None:
        if not self.pin_hash:
            if self.terminal_exit:
                log.warning("staff gesture: leaving (started from a terminal, no staff PIN set)")
                self.on_staff_exit()
                return
            log.warning("staff gesture seen, but staff exit is disabled: no staff_pin_hash")
            return
        log.info("staff gesture: showing the PIN pad")
        self.pad.open_pad()

    def submit_pin(self, pin: str) -> None:
        if self.attempts.check(pin, self.pin_hash):
            log.warning("staff exit with a correct PIN")
            self.pad.close_pad()
            self.on_staff_exit()
            return
        locked = self.attempts.locked_for()
        log.warning("wrong staff PIN%s", f"; pad locked for {locked:.0f} s" if locked else "")
        self.pad.message.setText(
            t("pin.locked", "vi", seconds=locked) if locked else t("pin.wrong", "vi")
        )

    def quit_for_staff(self) -> None:
        self.allow_close = True
        self.app.exit(STAFF_EXIT_CODE)


def _from_touchscreen(event) -> bool:
    # Qt turns the first touch point into a mouse press too; the TouchBegin was counted.
    device = event.device()
    return device is not None and device.type() == QInputDevice.DeviceType.TouchScreen


def _refuse_url(url) -> None:
    log.warning("refused to open %s (kiosk mode)", url.toString())


class _UrlSink(QObject):
    """Receives every URL QDesktopServices would hand to a browser or file manager."""

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:  # called by name by QDesktopServices
        _refuse_url(url)


def install_lockdown(
    app: QApplication,
    window: QWidget,
    settings,
    on_staff_exit: Callable[[], None] | None = None,
    clock: Clock | None = None,
    terminal_exit: bool = False,
) -> Lockdown:
    """Lock ``window`` down (see the module docstring); returns the installed ``Lockdown``."""
    lockdown = Lockdown(
        app,
        window,
        settings.staff_pin_hash,
        on_staff_exit,
        clock or MonotonicClock(),
        terminal_exit=terminal_exit,
    )
    app.installEventFilter(lockdown)
    window.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
    sink = _UrlSink(lockdown)
    lockdown.url_sink = sink
    for scheme in ("http", "https", "file", "mailto", "ftp"):
        QDesktopServices.setUrlHandler(scheme, sink, "open")
    if settings.staff_pin_hash:
        log.info("lock-down on; staff exit: 5 taps in the top-left corner within 3 s, then PIN")
    elif terminal_exit:
        log.warning(
            "lock-down on; no staff PIN set, started from a terminal: leave with 5 taps in the "
            "top-left corner within 3 s, or Ctrl+C in the terminal"
        )
    else:
        log.warning("lock-down on; staff exit DISABLED: set staff_pin_hash (see `kiosk pin`)")
    return lockdown
