"""Small widgets shared by the slides and explore screens.

``text_label`` is the only way DB text reaches the screen: always plain text, never
selectable, so a staff-entered ``<img src=…>`` shows literally and a visitor's finger
cannot start a text selection.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy

from kiosk.content.model import nfc
from kiosk.ui.theme import Theme


def text_label(
    text: str,
    theme: Theme,
    size_px: float,
    *,
    bold: bool = False,
    color: str | None = None,
    wrap: bool = True,
    align: Qt.AlignmentFlag | None = None,
) -> QLabel:
    """A plain-text label in the theme's font at ``size_px`` (1080p pixels)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
    label.setWordWrap(wrap)
    label.setFont(theme.font(size_px, bold))
    label.setStyleSheet(f"color: {color or theme.text}; background: transparent;")
    if align is not None:
        label.setAlignment(align)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.setText(nfc(text))
    return label


def set_label_text(label: QLabel, text: str) -> None:
    """Change a label's text, normalised (the label stays plain text)."""
    label.setText(nfc(text))
