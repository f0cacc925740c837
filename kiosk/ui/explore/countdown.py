"""The countdown overlay: "Trở về trình chiếu sau 10 giây · Returning in 10 s".

Shown over the explore screens while the state machine is in COUNTDOWN. It names both
languages (the current one first), because the visitor who walked away may have switched
language and the next one may read only the other. It swallows the touch that cancels it,
so that touch does not also press a button underneath.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from kiosk.ui.explore.strings import tr
from kiosk.ui.theme import Theme

_WRAP = int(Qt.TextFlag.TextWordWrap)


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

    def paintEvent(self, event) -> None:
        t = self.theme
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(11, 18, 32, 215))
        w = min(self.width() - 2 * t.px(48), t.px(1400))
        h = t.px(420)
        card = QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(t.surface))
        p.drawRoundedRect(QRectF(card), t.px(32), t.px(32))
        pad = t.px(56)
        inner = card.adjusted(pad, pad, -pad, -pad)
        p.setPen(QColor(t.accent))
        p.setFont(t.font(150, bold=True))
        number_box = QRect(inner.left(), inner.top(), inner.width(), t.px(150))
        p.drawText(number_box, int(Qt.AlignmentFlag.AlignCenter), str(self.seconds))
        p.setPen(QColor(t.text))
        p.setFont(t.font(40, bold=True))
        line = QRect(inner.left(), number_box.bottom() + t.px(18), inner.width(), t.px(110))
        p.drawText(line, _WRAP | int(Qt.AlignmentFlag.AlignHCenter), self.text)
        p.setPen(QColor(t.accent2))
        p.setFont(t.font(34))
        stay = QRect(inner.left(), inner.bottom() - t.px(48), inner.width(), t.px(48))
        p.drawText(stay, int(Qt.AlignmentFlag.AlignCenter), self.stay_text)
        # Time left as a shrinking bar along the card's bottom edge.
        bar = QRectF(
            card.left() + pad, card.bottom() - t.px(22), (w - 2 * pad) * self.fraction, t.px(8)
        )
        p.setBrush(QColor(t.accent))
        p.drawRoundedRect(bar, t.px(4), t.px(4))
        p.end()
