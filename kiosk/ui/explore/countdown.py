"""The countdown overlay: "Trở về trình chiếu sau 10 giây · Returning in 10 s".

Shown over the explore screens while the state machine is in COUNTDOWN. It names both
languages (the current one first), because the visitor who walked away may have switched
language and the next one may read only the other. It swallows the touch that cancels it,
so that touch does not also press a button underneath.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from kiosk.ui.explore.strings import tr
from kiosk.ui.theme import Theme

_CENTRE = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignHCenter)


class CountdownOverlay(QWidget):
    """A dimmed layer over its parent with a card counting down whole seconds."""

    def __init__(self, theme: Theme, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang = lang
        self.seconds = 0
        self.total = 10.0
        self.fraction = 1.0  # share of the countdown still left, for the bar
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.hide()

    # -- API used by the visitor controller ----------------------------------------------
    def show_countdown(self, seconds: int, total: float) -> None:
        self.total = max(total, 0.001)
        self.set_seconds(seconds, seconds / self.total)
        self.cover_parent()
        self.show()
        self.raise_()

    def set_seconds(self, seconds: int, fraction: float | None = None) -> None:
        if seconds == self.seconds and fraction is None:
            return
        self.seconds = seconds
        self.fraction = max(0.0, min(1.0, seconds / self.total if fraction is None else fraction))
        self.update()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.update()

    def cover_parent(self) -> None:
        if self.parentWidget() is not None:
            self.setGeometry(self.parentWidget().rect())

    @property
    def text(self) -> str:
        """Both languages in one line, the current one first (logs and tests)."""
        return tr("countdown.both", self.lang, n=self.seconds)

    @property
    def stay_text(self) -> str:
        return tr("countdown.stay.both", self.lang)

    # -- Qt ------------------------------------------------------------------------------
    def event(self, event) -> bool:
        # Take every touch and press: the application filter has already seen it and
        # cancelled the countdown; nothing beneath should react to the same finger.
        if event.type() in (
            event.Type.TouchBegin,
            event.Type.TouchUpdate,
            event.Type.TouchEnd,
            event.Type.MouseButtonPress,
            event.Type.MouseButtonRelease,
            event.Type.MouseButtonDblClick,
        ):
            event.accept()
            return True
        return super().event(event)

    def lines(self) -> list[tuple[str, float, bool, str]]:
        """(text, size_px, bold, colour) from top to bottom, below the big number."""
        t = self.theme
        other = "vi" if self.lang == "en" else "en"
        return [
            (tr("countdown.title", self.lang, n=self.seconds), 44, True, t.text),
            (tr("countdown.title", other, n=self.seconds), 32, False, t.muted),
            (self.stay_text, 34, True, t.accent2),
        ]

    def paintEvent(self, event) -> None:
        t = self.theme
        with QPainter(self) as p:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.fillRect(self.rect(), QColor(11, 18, 32, 215))
            w = min(self.width() - 2 * t.px(48), t.px(1400))
            pad = t.px(56)
            inner_w = w - 2 * pad
            # Measure every line at the card's width first: in portrait they wrap, and the card
            # grows to fit them instead of letting them overlap.
            blocks = []
            for text, size, bold, color in self.lines():
                font = t.font(size, bold)
                box = QFontMetrics(font).boundingRect(QRect(0, 0, inner_w, 10000), _CENTRE, text)
                blocks.append((text, font, color, box.height()))
            number_h = t.px(170)
            gap = t.px(18)
            bar_h = t.px(40)
            h = pad + number_h + sum(b[3] + gap for b in blocks) + bar_h + pad // 2
            card = QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(t.surface))
            p.drawRoundedRect(QRectF(card), t.px(32), t.px(32))
            y = card.top() + pad
            p.setPen(QColor(t.accent))
            p.setFont(t.font(150, bold=True))
            p.drawText(QRect(card.left() + pad, y, inner_w, number_h), _CENTRE, str(self.seconds))
            y += number_h
            for text, font, color, height in blocks:
                p.setPen(QColor(color))
                p.setFont(font)
                p.drawText(QRect(card.left() + pad, y, inner_w, height), _CENTRE, text)
                y += height + gap
            # Time left as a shrinking bar along the card's bottom edge.
            bar = QRectF(card.left() + pad, y + t.px(12), inner_w * self.fraction, t.px(8))
            p.setBrush(QColor(t.accent))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawRoundedRect(bar, t.px(4), t.px(4))
