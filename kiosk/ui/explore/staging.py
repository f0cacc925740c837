"""Helpers for building in steps after the first frame, one short step per event-loop turn.

``qt_type_steps()`` makes shiboken create the Python types of QtCore, QtGui and QtWidgets
(it creates each type, with its enums, the first time it is used, which would otherwise
happen in one long block inside the timeline's constructor or pyqtgraph's import);
it yields every ``slice_ms`` so that the caller can give the event loop a turn.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

SLICE_MS = 8


def qt_type_steps(slice_ms: float = SLICE_MS) -> Iterator[None]:
    """Touch every attribute of QtCore, QtGui and QtWidgets; yield every ``slice_ms``.

    What is already created costs ~1 us a name, so a second pass is cheap.
    """
    from PySide6 import QtCore, QtGui, QtWidgets

    slice_end = time.perf_counter() + slice_ms / 1000
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            # dir() can list a nested type by its dotted name ('QTimeZone.OffsetData'),
            # which is no attribute of the module: skip it rather than end the build.
            getattr(module, name, None)
            if time.perf_counter() > slice_end:
                yield
                slice_end = time.perf_counter() + slice_ms / 1000
