"""The chart library's head start: imported and the next slide built after the first frame.

``ChartWarmUp`` imports pyqtgraph (and what it brings) and builds the slideshow's next
slide in short steps, one per event-loop turn, while the first slide is on screen, so the
screen never freezes for long; the plain-Python imports run in a thread meanwhile.
``kiosk.ui.app.start_services`` makes and starts it.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterator

from PySide6.QtCore import QTimer

from kiosk.ui.slideshow import Slideshow

log = logging.getLogger("kiosk")

# Modules pyqtgraph and numpy bring that never touch Qt: these import in a thread while
# the GUI thread goes on (it still gets the GIL often enough to keep animating).
# pyqtgraph itself stays on the GUI thread: it creates Qt types and objects, and in a
# thread it blocked the GUI thread anyway (benchmarks/results/findings-2026-11.md).
BACKGROUND_IMPORTS = (
    "numpy",
    "numpy.typing",
    "subprocess",
    "multiprocessing.connection",
    "xml.etree.ElementTree",
    "pydoc",
    "decimal",
    "socket",
    "colorama",
)


class ChartWarmUp:
    """Import the chart library and build the slideshow's next slide, one short step per
    event-loop turn; the slideshow holds its own prebuild until this is done."""

    def __init__(self, slideshow: Slideshow, new_stats_file: bool = False) -> None:
        self.slideshow = slideshow
        self.done = False
        # A new visits.db is made with sqlite-utils (explore mode opens it): one more
        # import, which the thread takes too.
        self.modules = BACKGROUND_IMPORTS + (("sqlite_utils",) if new_stats_file else ())
        # Not a daemon: a quit during the imports waits for them instead of finalising
        # the interpreter under a half-imported module.
        self._thread = threading.Thread(target=self._import_plain, name="warm-up")
        self._steps = self._run()
        slideshow.hold_prebuild = True

    def start_thread(self) -> None:
        """Start the imports that run off the GUI thread."""
        self._thread.start()

    def start(self) -> None:
        """Start the steps on the GUI thread."""
        self._step()

    def _step(self) -> None:
        try:
            delay = next(self._steps)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - a head start only: the slideshow must go on
            log.exception("chart warm-up failed; charts are built when first shown")
            self.slideshow.hold_prebuild = False
            return
        QTimer.singleShot(delay, self.slideshow, self._step)

    def _import_plain(self) -> None:
        for name in self.modules:
            try:
                importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - only a head start; the real import
                log.debug("warm-up: %s not imported early (%s)", name, error)  # says more

    def _run(self) -> Iterator[int]:
        """The steps; each yield is the delay (ms) before the next."""
        from kiosk.ui.explore.staging import qt_type_steps

        # pyqtgraph's import reads every attribute of QtCore, QtGui and QtWidgets, which
        # makes shiboken create each Qt type: done here in short slices first.
        for _ in qt_type_steps():
            yield 1
        while self._thread.is_alive():
            yield 10
        yield 1
        for name in ("PySide6.QtSvg", "PySide6.QtOpenGLWidgets", "PySide6.QtTest"):
            try:
                importlib.import_module(name)  # Qt extension modules pyqtgraph may load
            except ImportError:
                # The packaged build leaves out what the kiosk never uses (QtTest):
                # pyqtgraph does without it, and so does this head start.
                log.debug("warm-up: %s not in this build", name)
        yield 1
        importlib.import_module("kiosk.ui.slides.charts")  # pyqtgraph: the one long step
        yield 1
        self.slideshow.hold_prebuild = False
        self.slideshow.prebuild_next()
        self.done = True
