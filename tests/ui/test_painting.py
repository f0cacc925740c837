"""A paint that fails once must not break the widget's later paints.

A QPainter left active by an exception (``p = QPainter(self)`` ... ``p.end()`` never
reached) stays alive in the traceback, and every later paint of the window then fails
("endPaint() called with active painter"): on a lobby screen, a frozen or blank picture
until a restart. Every ``paintEvent`` opens its painter with ``with``, which ends it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor

from kiosk.ui import touch
from kiosk.ui.fonts import load_fonts
from kiosk.ui.theme import theme_for_size
from kiosk.ui.touch import TouchButton

pytestmark = pytest.mark.gui
UI = Path(__file__).resolve().parents[2] / "kiosk" / "ui"


def _paint_events():
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "paintEvent":
                yield path.relative_to(UI), node


def test_every_paint_event_ends_its_painter_whatever_happens():
    found = list(_paint_events())
    assert len(found) >= 10  # the checker sees the kiosk's painted widgets
    for path, function in found:
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                called = node.value.func
                name = getattr(called, "id", getattr(called, "attr", ""))
                assert name != "QPainter", f"{path}:{node.lineno}: use `with QPainter(self) as p:`"


@pytest.mark.qt_no_exception_capture
def test_a_paint_that_raises_once_does_not_spoil_the_next_paints(qtbot, monkeypatch):
    caught, messages = [], []
    monkeypatch.setattr(sys, "excepthook", lambda *info: caught.append(info[1]))
    previous = qInstallMessageHandler(
        lambda kind, _context, text: messages.append(text) if kind != QtMsgType.QtDebugMsg else 0
    )
    try:
        button = TouchButton("OK", theme_for_size(1920, 1080, load_fonts()))
        qtbot.addWidget(button)
        button.resize(300, 120)
        button.show()
        qtbot.waitExposed(button)
        real = touch.QFontMetrics

        def fails_once(font):
            monkeypatch.setattr(touch, "QFontMetrics", real)
            raise RuntimeError("a paint that fails")

        monkeypatch.setattr(touch, "QFontMetrics", fails_once)
        before = button.paints
        button.update()
        qtbot.waitUntil(lambda: bool(caught), timeout=2000)
        button.update()
        qtbot.waitUntil(lambda: button.paints >= before + 2, timeout=2000)
        picture = button.grab().toImage()
    finally:
        qInstallMessageHandler(previous)
    assert [str(e) for e in caught] == ["a paint that fails"]
    assert not [m for m in messages if "active painter" in m or "QPainter" in m], messages
    fill = QColor(button.colors()[0])
    assert picture.pixelColor(40, 60).name() == fill.name()  # left of the centred text
