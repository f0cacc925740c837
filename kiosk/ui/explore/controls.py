"""Painted touch controls of the explore screens: big tiles, the VI/EN toggle, page dots.

Each control paints itself (no style sheet lookups per frame) and repaints in the same
frame the press arrives, so a finger sees feedback at once. Text is drawn with
``QPainter.drawText``, which never interprets markup. Sizes are 1080p pixels scaled by
the theme; the smallest target here is 96 px at 1080p.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from kiosk.content.i18n import t as ui_text
from kiosk.content.model import LANGS, nfc
from kiosk.ui.theme import Theme
from kiosk.ui.touch import MIN_TARGET_PX, TouchButton

_WRAP = int(Qt.TextFlag.TextWordWrap)


def _no_menus_no_keys(widget: QWidget) -> None:
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no keyboard: nothing to tab between
    # No WA_AcceptTouchEvents: Qt then turns the first touch point into mouse events, so
    # one mouse code path serves touch panels and panels that report themselves as a mouse.


class Tile(QAbstractButton):
    """A large home-screen tile: a coloured stripe, a title and a one-line hint."""

    def __init__(self, theme: Theme, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.color = color
        self.hint = ""
        self.press_paints = 0  # how often the pressed look was painted (tests)
        _no_menus_no_keys(self)
        # Large by stretching, small only as a minimum: the kiosk may be moved to a smaller
        # screen at run time (the theme stays), and the home screen must still fit.
        self.setMinimumSize(theme.px(MIN_TARGET_PX * 2), theme.px(MIN_TARGET_PX))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.pressed.connect(self.repaint)  # feedback in the frame the press arrives
        self.released.connect(self.repaint)

    def painted_fonts(self) -> list[QFont]:
        """The title's and the hint's fonts (the type-scale tests read it)."""
        return (
            [self.theme.font(52, bold=True), self.theme.font(30)]
            if self.hint
            else [self.theme.font(52, bold=True)]
        )

    def set_texts(self, title: str, hint: str) -> None:
        self.setText(nfc(title))
        self.hint = nfc(hint)
        self.update()

    def paintEvent(self, event) -> None:
        t = self.theme
        with QPainter(self) as p:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            r = QRectF(self.rect()).adjusted(1, 1, -1, -1)
            radius = t.px(28)
            p.setPen(Qt.PenStyle.NoPen)
            if self.isDown():
                self.press_paints += 1
            p.setBrush(QColor(t.surface_hi if self.isDown() else t.surface))
            p.drawRoundedRect(r, radius, radius)
            # The stripe tells the tiles apart at a glance and echoes the category colours.
            stripe = QRectF(r.left(), r.top(), t.px(18), r.height())
            p.setBrush(QColor(self.color))
            p.drawRoundedRect(stripe, t.px(9), t.px(9))
            pad = t.px(44)
            inner = self.rect().adjusted(pad + t.px(18), pad, -pad, -pad)
            p.setPen(QColor(t.text))
            p.setFont(t.font(52, bold=True))
            title_box = p.boundingRect(inner, _WRAP, self.text())
            p.drawText(inner, _WRAP | int(Qt.AlignmentFlag.AlignTop), self.text())
            hint_top = title_box.bottom() + t.px(16)
            hint_box = QRect(inner.left(), hint_top, inner.width(), inner.height())
            p.setPen(QColor(t.muted))
            p.setFont(t.font(30))
            p.drawText(hint_box, _WRAP | int(Qt.AlignmentFlag.AlignTop), self.hint)


class LanguageToggle(TouchButton):
    """The VI/EN toggle: both codes side by side, the current one filled; a tap anywhere on
    it switches. While pressed, the half it switches to lights up (feedback in one frame)."""

    CODES = LANGS

    def __init__(self, theme: Theme, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(
            "  ".join(self.label(c) for c in self.CODES), theme, size_px=32, parent=parent
        )
        self.current = lang

    @staticmethod
    def label(code: str) -> str:
        """A language's short code as its half of the toggle shows it ("VI", "EN")."""
        return ui_text(f"lang.{code}", code)

    def set_current(self, lang: str) -> None:
        self.current = lang
        self.update()

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        half = max(
            self.theme.px(MIN_TARGET_PX),
            max(metrics.horizontalAdvance(self.label(c)) for c in self.CODES) + self.theme.px(56),
        )
        return QSize(2 * half, self.theme.px(MIN_TARGET_PX))

    def paintEvent(self, event) -> None:
        t = self.theme
        if self.isDown():
            self.press_paints += 1
        with QPainter(self) as p:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            r = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
            radius = t.px(20)
            p.setPen(QPen(QColor(t.accent), max(1, t.px(2))))
            p.setBrush(QColor(t.surface_hi))
            p.drawRoundedRect(r, radius, radius)
            p.setFont(self.font())
            for i, code in enumerate(self.CODES):
                half = QRectF(r.left() + i * r.width() / 2, r.top(), r.width() / 2, r.height())
                chosen = code == self.current
                target = self.isDown() and not chosen
                if chosen or target:
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(QColor(t.accent if chosen else t.accent2))
                    p.drawRoundedRect(half.adjusted(3, 3, -3, -3), radius - 3, radius - 3)
                p.setPen(QColor(t.bg if (chosen or target) else t.text))
                p.drawText(half, int(Qt.AlignmentFlag.AlignCenter), self.label(code))


class PageDots(QWidget):
    """One dot per page, the current one filled. Only a sign of where the visitor is: a dot
    is far smaller than a 96 px target, so the big buttons and the swipe do the moving."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.count = 0
        self.current = 0
        _no_menus_no_keys(self)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFixedHeight(theme.px(MIN_TARGET_PX * 0.5))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_state(self, count: int, current: int) -> None:
        self.count, self.current = count, current
        self.update()

    def _step(self) -> float:
        # Dots shrink together when there are many pages, so they always fit the width.
        natural = self.theme.px(40)
        return min(natural, (self.width() - self.theme.px(20)) / max(1, self.count))

    def _origin(self) -> float:
        return (self.width() - self._step() * self.count) / 2

    def paintEvent(self, event) -> None:
        if self.count <= 1:
            return
        t = self.theme
        with QPainter(self) as p:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(Qt.PenStyle.NoPen)
            step = self._step()
            radius = max(2.0, min(t.px(9), step * 0.3))
            cy = self.height() / 2
            for i in range(self.count):
                cx = self._origin() + step * (i + 0.5)
                p.setBrush(QColor(t.accent if i == self.current else t.track))
                r = radius * (1.3 if i == self.current else 1.0)
                p.drawEllipse(QRectF(cx - r, cy - r, 2 * r, 2 * r))
