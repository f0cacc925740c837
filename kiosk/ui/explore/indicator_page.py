"""One indicator's explore page: the figure, its context, and related figures as tiles.

The label heads the page once (the slide heading); beside the figure stand what the content
DB says about it and nothing else: its explanation, the national comparison where the
source gives one ("gấp 2 lần bình quân cả nước"), the period. Under it, the other figures
of the same period and source as small tiles; a tile opens that figure's page
(``open_indicator(key)``). A ring for a percentage, a large number with its unit otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QGridLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.i18n import period_text
from kiosk.content.model import Indicator, nfc
from kiosk.content.numbers import format_value, qualifier_word
from kiosk.ui.explore.strings import tr
from kiosk.ui.slides.base import Slide
from kiosk.ui.theme import Theme
from kiosk.ui.touch import MIN_TARGET_PX
from kiosk.ui.widgets import set_label_text, text_label

_WRAP = int(Qt.TextFlag.TextWordWrap)


class FigureTile(QAbstractButton):
    """A small tile: a figure and its label; a tap opens that figure's page."""

    VALUE_PX, LABEL_PX = 40, 24

    def __init__(self, theme: Theme, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.key = key
        self.value_text = self.number_text = self.unit_text = ""
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Room for the figure and two lines of its label; never under a 96 px target.
        value_font, label_font = self.painted_fonts()
        need = QFontMetrics(value_font).height() + 2 * QFontMetrics(label_font).lineSpacing()
        self.setMinimumHeight(max(theme.px(MIN_TARGET_PX), need + theme.px(32)))
        self.setMinimumWidth(theme.px(MIN_TARGET_PX * 2))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.pressed.connect(self.repaint)  # feedback in the frame of the touch
        self.released.connect(self.repaint)

    def set_figure(self, number: str, unit: str, label: str) -> None:
        """``number`` with its qualifier ("nearly 60%"), ``unit`` ("" for a percentage)."""
        self.number_text, self.unit_text = nfc(number), nfc(unit)
        self.value_text = f"{self.number_text} {self.unit_text}".strip()
        self.setText(nfc(label))
        self.update()

    def painted_fonts(self) -> list[QFont]:
        t = self.theme
        return [t.font(self.VALUE_PX, bold=True), t.font(self.LABEL_PX)]

    def paintEvent(self, event) -> None:  # noqa: N802
        t = self.theme
        with QPainter(self) as p:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            r = QRectF(self.rect()).adjusted(1, 1, -1, -1)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(t.surface_hi if self.isDown() else t.surface))
            p.drawRoundedRect(r, t.px(18), t.px(18))
            pad = t.px(20)
            inner = self.rect().adjusted(pad, t.px(12), -pad, -t.px(12))
            value_font, label_font = self.painted_fonts()
            value_h = QFontMetrics(value_font).height()
            value, text = self.value_text, self.text()
            if QFontMetrics(value_font).horizontalAdvance(value) > inner.width():
                # "276 phones per 100 people" does not fit: the number stays big, the unit
                # goes in front of the label.
                value, text = self.number_text, f"{self.unit_text} · {text}"
            p.setFont(value_font)
            p.setPen(QColor(t.accent))
            shown = QFontMetrics(value_font).elidedText(
                value, Qt.TextElideMode.ElideRight, inner.width()
            )
            p.drawText(inner, int(Qt.AlignmentFlag.AlignTop), shown)
            p.setFont(label_font)
            p.setPen(QColor(t.text))
            rest = inner.adjusted(0, value_h + t.px(4), 0, 0)
            metrics = QFontMetrics(label_font)
            # As many lines as the tile holds (two, by its height); a longer label ends with "…"
            # (the tile's page shows it whole). Measured wrapped text runs a pixel or two past
            # n line spacings, hence half a line of slack (a line more would need a whole one).
            spacing = metrics.lineSpacing()
            lines = max(1, rest.height() // spacing)
            room = lines * spacing + spacing // 2
            if metrics.boundingRect(rest, _WRAP, text).height() > room:
                while text and metrics.boundingRect(rest, _WRAP, text + "…").height() > room:
                    text = text[:-1]
                text = text.rstrip() + "…"
            p.drawText(rest, _WRAP | int(Qt.AlignmentFlag.AlignTop), text)


class IndicatorBody(QWidget):
    """The figure (ring or number) beside its context; related tiles underneath."""

    def __init__(self, theme: Theme, percent: bool) -> None:
        super().__init__()
        self.theme = theme
        t = theme
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(t.px(24))
        direction = (
            QBoxLayout.Direction.TopToBottom if t.portrait else QBoxLayout.Direction.LeftToRight
        )
        main = QBoxLayout(direction)
        main.setSpacing(t.px(56))
        if percent:
            from kiosk.ui.slides.charts import Ring, configure

            configure(t)
            self.ring = Ring(t)
            self.ring.label.hide()  # the heading already names the figure
            ring_layout = self.ring.layout()  # the ring fills its cell: no bands around it
            ring_layout.setStretch(0, 0)
            ring_layout.setStretch(ring_layout.count() - 1, 0)
            figure = self.ring
        else:
            self.ring = None
            figure = QWidget()
            column = QVBoxLayout(figure)
            column.setContentsMargins(0, 0, 0, 0)
            column.addStretch(1)
            self.qualifier = text_label("", t, 40, color=t.muted)
            self.number = text_label("", t, 150, bold=True, color=t.accent, wrap=False)
            self.unit = text_label("", t, 44, bold=True, color=t.accent)
            for label in (self.qualifier, self.number, self.unit):
                column.addWidget(label)
            column.addStretch(1)
        main.addWidget(figure, 4 if not t.portrait else 3)
        context = QVBoxLayout()
        context.setSpacing(t.px(22))
        if not t.portrait:  # beside the figure, centred; under it (portrait), right below
            context.addStretch(1)
        self.explanation = text_label("", t, 40)
        self.national = text_label("", t, 38, bold=True, color=t.accent2)
        self.period = text_label("", t, 30, color=t.muted)
        for label in (self.explanation, self.national, self.period):
            context.addWidget(label)
        context.addStretch(1)
        main.addLayout(context, 5)
        outer.addLayout(main, 1)
        self.related_title = text_label("", t, 28, bold=True, color=t.muted)
        outer.addWidget(self.related_title)
        # Four tiles in a row; two by two on a tall screen, where a row of four is too narrow.
        self.tiles_row = QGridLayout()
        self.tiles_row.setSpacing(t.px(24))
        self.tile_columns = 2 if t.portrait else 4
        for column in range(self.tile_columns):
            self.tiles_row.setColumnStretch(column, 1)
        outer.addLayout(self.tiles_row)
        self.tiles: list[FigureTile] = []


class IndicatorSlide(Slide):
    """An explore page for one indicator (a ``Slide``, so the browser pages it like any)."""

    open_indicator = Signal(str)

    def __init__(self, data, content, theme, lang="vi", reduced_motion=False, related=()):
        self.related = tuple(k for k in related if content.indicator(k) is not None)
        super().__init__(data, content, theme, lang, reduced_motion)

    @property
    def indicator(self) -> Indicator:
        return self.data.indicators[0]

    def build_body(self) -> QWidget:
        body = IndicatorBody(self.theme, self.data.indicators[0].kind == "percent")
        for index, key in enumerate(self.related):
            tile = FigureTile(self.theme, key)
            tile.clicked.connect(lambda _=False, k=key: self.open_indicator.emit(k))
            columns = body.tile_columns
            body.tiles_row.addWidget(tile, index // columns, index % columns)
            body.tiles.append(tile)
        return body

    def retranslate_body(self) -> None:
        body, row, lang = self.body, self.indicator, self.lang
        label = row.label.get(lang)
        explanation = row.explanation.get(lang)
        # The explanation only when it says more than the heading does.
        same = explanation.strip().rstrip(".").lower() == label.strip().lower()
        set_label_text(body.explanation, "" if same else explanation)
        body.explanation.setVisible(bool(explanation) and not same)
        note = row.national_note.get(lang)
        set_label_text(body.national, tr("indicator.national", lang, note=note) if note else "")
        body.national.setVisible(bool(note))
        when = period_text(row.period, lang) if row.period else ""
        set_label_text(body.period, tr("period.figures", lang, when=when) if when else "")
        body.period.setVisible(bool(when))
        if body.ring is not None:
            body.ring.set_data(row, lang)
            body.ring.label.hide()
        else:
            set_label_text(body.qualifier, qualifier_word(row.qualifier, lang))
            body.qualifier.setVisible(bool(row.qualifier))
            set_label_text(body.unit, row.unit.get(lang))
        title = tr("indicator.related", lang, when=when) if when and body.tiles else ""
        set_label_text(body.related_title, title)
        body.related_title.setVisible(bool(title))
        for tile in body.tiles:
            other = self.content.indicator(tile.key)
            number = " ".join(
                w for w in (qualifier_word(other.qualifier, lang), format_value(other, lang)) if w
            )
            unit = "" if other.kind == "percent" else other.unit.get(lang)
            tile.set_figure(number, unit, other.label.get(lang))
        self.set_progress(self.progress)

    def set_progress(self, t: float) -> None:
        self.progress = t
        body = getattr(self, "body", None)
        if body is None:
            return
        if body.ring is not None:
            body.ring.set_progress(t)
        else:
            value = self.indicator.value * t if t < 1 else None
            set_label_text(body.number, format_value(self.indicator, self.lang, value))
