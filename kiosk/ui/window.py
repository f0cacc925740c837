"""The one top-level window: a ``QStackedWidget`` whose page 0 is the slideshow.

Explore screens are added as further pages. In kiosk mode the window is frameless and
takes its geometry from the screen before going fullscreen, because without a window
manager (bare X) ``showFullScreen()`` alone leaves a 640x480 window.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.content.i18n import t
from kiosk.ui.slideshow import Slideshow

log = logging.getLogger("kiosk.window")


class KioskWindow(QWidget):
    """Main window. ``first_frame`` fires once, after the first paint reached the screen."""

    first_frame = Signal()

    def __init__(self, slideshow: Slideshow, kiosk_mode: bool = True) -> None:
        super().__init__()
        self.kiosk_mode = kiosk_mode
        self.slideshow = slideshow
        self.setWindowTitle(t("holding.title", "vi"))  # the kiosk's name
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        if kiosk_mode:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The window's size is the screen's, whatever its pages would like: a page with a
        # large minimum size must never push the window past the screen's edge.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.stack = QStackedWidget()
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.stack.addWidget(slideshow)
        layout.addWidget(self.stack)
        self._painted = False

    # -- pages --------------------------------------------------------------------------
    def add_page(self, widget: QWidget) -> None:
        if self.stack.indexOf(widget) < 0:
            self.stack.addWidget(widget)

    def show_page(self, widget: QWidget) -> None:
        self.add_page(widget)
        self.stack.setCurrentWidget(widget)

    def show_attract(self) -> None:
        self.stack.setCurrentWidget(self.slideshow)

    @property
    def in_attract(self) -> bool:
        return self.stack.currentWidget() is self.slideshow

    # -- placement ----------------------------------------------------------------------
    def place_on_screen(self, screen: QScreen | None = None) -> None:
        """Fill ``screen`` (default: the primary one), also without a window manager."""
        screen = screen or QGuiApplication.primaryScreen()
        if screen is None:
            log.warning("no screen reported by the platform; keeping the current geometry")
            return
        geometry = screen.geometry()
        if self.windowHandle() is not None:
            self.windowHandle().setScreen(screen)
        self.setGeometry(geometry)
        if self.kiosk_mode:
            self.showFullScreen()
        log.info(
            "window on screen %r at %dx%d+%d+%d",
            screen.name(),
            geometry.width(),
            geometry.height(),
            geometry.x(),
            geometry.y(),
        )

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Children paint into the same backing store in this pass; report once it is flushed.
            QTimer.singleShot(0, self.first_frame.emit)
