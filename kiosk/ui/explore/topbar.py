"""The bar at the top of every explore screen: home, back, screen title, VI/EN toggle."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from kiosk.ui.explore.controls import LanguageToggle
from kiosk.ui.explore.strings import tr
from kiosk.ui.theme import Theme
from kiosk.ui.touch import MIN_TARGET_PX, TouchButton
from kiosk.ui.widgets import set_label_text, text_label


class TopBar(QWidget):
    """Home and back on the left, the screen's title, the language toggle on the right.

    The toggle shows both codes, VI and EN, with the current one filled: a visitor who reads
    neither word of the screen still finds their language and sees which one is on.
    """

    home_clicked = Signal()
    back_clicked = Signal()
    language_clicked = Signal()

    def __init__(self, theme: Theme, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang = lang
        self._title_key = ""
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setFixedHeight(theme.px(MIN_TARGET_PX + 32))
        layout = QHBoxLayout(self)
        m = theme.px(48 if not theme.portrait else 32)
        layout.setContentsMargins(m, theme.px(16), m, theme.px(16))
        layout.setSpacing(theme.px(20))
        self.home_button = TouchButton("", theme, size_px=32)
        self.back_button = TouchButton("", theme, size_px=32)
        # The title wraps and gives way to the buttons: a portrait screen is narrow.
        self.title = text_label("", theme, 38 if not theme.portrait else 32, bold=True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.lang_button = LanguageToggle(theme, lang)
        layout.addWidget(self.home_button)
        layout.addWidget(self.back_button)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.lang_button)
        self.home_button.clicked.connect(self.home_clicked)
        self.back_button.clicked.connect(self.back_clicked)
        self.lang_button.clicked.connect(self.language_clicked)
        self.retranslate()

    def set_screen(self, title_key: str, at_home: bool) -> None:
        """Show ``title_key``'s text; home/back only make sense away from home."""
        self._title_key = title_key
        self.home_button.setVisible(not at_home)
        self.back_button.setVisible(not at_home)
        self.retranslate()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.home_button.setText("⌂ " + tr("nav.home", self.lang))
        self.back_button.setText("‹ " + tr("nav.back", self.lang))
        self.lang_button.set_current(self.lang)
        set_label_text(self.title, tr(self._title_key, self.lang) if self._title_key else "")

    def paintEvent(self, event) -> None:
        # A slightly lighter band separates the bar from the screen below.
        with QPainter(self) as p:
            p.fillRect(self.rect(), QColor(self.theme.surface))
