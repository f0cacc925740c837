"""Creating the one QApplication, with the platform chosen for where we run."""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication


def ensure_app(headless: bool = False) -> QApplication:
    """The running QApplication, created if needed.

    ``headless`` (rendering PNGs) uses the offscreen platform when no display is reachable,
    so ``kiosk render`` works over SSH and in CI without Xvfb.
    """
    app = QApplication.instance()
    if app is not None:
        return app
    if headless and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication(sys.argv[:1])
    app.setApplicationName("kiosk")
    app.setOrganizationName("kiosk")
    return app
