"""About the programme: the statements (context, 2022 theme, challenges, directions), the
2022 projects, the leaders' words and the sources, in one touch-scrollable column.

Built as plain-text labels once per content snapshot; a language switch only replaces
label texts. The scroll area's viewport is grabbed by ``QScroller`` so a finger (or a
panel that reports itself as a mouse) drags the page with momentum instead of selecting
text; there is nothing to tap inside, so the mouse gesture costs no taps.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QScroller, QVBoxLayout, QWidget

from kiosk.content.i18n import format_date, statement_name
from kiosk.content.model import Content, Text
from kiosk.content.playlist import source_line
from kiosk.ui.explore.strings import tr
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import set_label_text, text_label

# Statement categories in reading order; anything else is shown last under "other".
GROUPS = ("context", "theme", "challenge", "direction")
READ_WIDTH_PX = 1500  # a comfortable line length at 1080p; wider screens get margins


def _date(iso: str, lang: str) -> str:
    """A source's publication date (a full ISO date); an unparsable one is shown as stored."""
    try:
        return format_date(dt.date.fromisoformat(iso), "day", lang)
    except ValueError:
        return iso


class AboutScreen(QScrollArea):
    """The About screen. ``labels`` maps each label to a function giving its text."""

    def __init__(
        self, content: Content, theme: Theme, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang = lang
        self.content = content
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        # Its own dark background: a scroll area's viewport otherwise takes the platform's
        # light palette wherever the app-wide style sheet does not reach.
        self.viewport().setStyleSheet(f"background: {theme.bg};")
        # The mouse gesture serves both: with touch events not accepted by the viewport, Qt
        # turns the first finger into mouse events, which the scroller follows.
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, False)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, False)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self._texts: list[tuple[QLabel, object]] = []
        # A soft fade at the bottom says "there is more below" (no scroll bar is shown).
        self.more_below = _BottomFade(theme, self)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._sync_fade)
        bar.rangeChanged.connect(self._sync_fade)
        self.set_content(content)

    @property
    def scroller(self) -> QScroller:
        return QScroller.scroller(self.viewport())

    def set_content(self, content: Content) -> None:
        """Rebuild the labels for a new snapshot (rare: only when staff edit the DB)."""
        self.content = content
        self._texts = []
        page = QWidget()
        outer = QVBoxLayout(page)
        t = self.theme
        side = max(t.margin, (t.width - t.px(READ_WIDTH_PX)) // 2)
        outer.setContentsMargins(side, t.px(36), side, t.px(120))
        outer.setSpacing(t.px(14))
        self._column = outer
        self._build(content)
        outer.addStretch(1)
        self.setWidget(page)
        self.retranslate()

    def set_language(self, lang: str) -> None:
        if lang != self.lang:
            self.lang = lang
            self.retranslate()

    def retranslate(self) -> None:
        for label, make in self._texts:
            set_label_text(label, make(self.lang))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._sync_fade()

    def _sync_fade(self, *_args) -> None:
        viewport = self.viewport().geometry()
        height = min(viewport.height() // 3, self.theme.px(140))
        self.more_below.setGeometry(
            viewport.left(), viewport.bottom() - height + 1, viewport.width(), height
        )
        bar = self.verticalScrollBar()
        self.more_below.setVisible(bar.value() < bar.maximum())
        self.more_below.raise_()

    def scroll_to_top(self) -> None:
        self.scroller.stop()
        self.verticalScrollBar().setValue(0)

    # -- building ------------------------------------------------------------------------
    def _add(self, make, size_px: float, *, bold=False, color=None, gap=0) -> QLabel:
        label = text_label("", self.theme, size_px, bold=bold, color=color)
        self._column.addWidget(label)
        if gap:
            self._column.addSpacing(self.theme.px(gap))
        self._texts.append((label, make))
        return label

    def _heading(self, name) -> None:
        """A group heading; ``name(lang)`` gives its text."""
        self._column.addSpacing(self.theme.px(30))
        self._add(name, 44, bold=True, color=self.theme.accent, gap=6)

    def _para(self, text: Text, size_px: float = 32, **kw) -> None:
        self._add(lambda lang: text.get(lang), size_px, **kw)

    def _sources(self, keys) -> None:
        keys = tuple(dict.fromkeys(keys))
        content = self.content
        self._add(lambda lang: source_line(content, keys, lang), 24, color=self.theme.muted)

    def _build(self, content: Content) -> None:
        rows = sorted(content.statements, key=lambda s: (s.position, s.key))
        known = [g for g in GROUPS if any(s.category == g for s in rows)]
        other = [s for s in rows if s.category not in GROUPS]
        for group in known + (["other"] if other else []):
            members = [s for s in rows if s.category == group] if group != "other" else other
            self._heading(lambda lang, g=group: statement_name(g, lang))
            for statement in members:
                self._para(statement.text, gap=8)
            self._sources(s.source_key for s in members)
        projects = sorted(content.projects, key=lambda p: (p.position, p.key))
        if projects:
            self._heading(lambda lang: tr("about.projects", lang))
            for project in projects:
                self._para(project.title, 34, bold=True)
                self._para(project.body, 30, color=self.theme.text, gap=4)
                self._para(project.status, 26, color=self.theme.muted, gap=10)
            self._sources(p.source_key for p in projects)
        if content.quotes:
            self._heading(lambda lang: tr("about.quotes", lang))
            for quote in content.quotes:
                self._quote(quote)
            self._sources(q.source_key for q in content.quotes)
        if content.sources:
            self._heading(lambda lang: tr("about.sources", lang))
            for source in content.sources:
                self._source(source)

    def _quote(self, quote) -> None:
        def said(lang: str, q=quote) -> str:
            text = q.text.get(lang)
            return f"“{text}”" if q.direct else f"{text} {tr('quote.reported', lang)}"

        self._add(said, 32)
        self._add(
            lambda lang, q=quote: f"— {q.speaker}, {q.role.get(lang)}",
            26,
            color=self.theme.muted,
            gap=14,
        )

    def _source(self, source) -> None:
        def detail(lang: str, s=source) -> str:
            parts = [s.publisher.get(lang)]
            if s.published:
                parts.append(tr("source.published", lang, date=_date(s.published, lang)))
            if s.note.get(lang):
                parts.append(s.note.get(lang))
            return " · ".join(p for p in parts if p)

        self._para(source.title, 30, bold=True)
        self._add(detail, 26, color=self.theme.muted, gap=12)


class _BottomFade(QWidget):
    """A gradient from transparent to the background; lets every touch through."""

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme = theme
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.hide()

    def paintEvent(self, event) -> None:
        gradient = QLinearGradient(0, 0, 0, self.height())
        clear = QColor(self.theme.bg)
        clear.setAlpha(0)
        gradient.setColorAt(0.0, clear)
        gradient.setColorAt(1.0, QColor(self.theme.bg))
        with QPainter(self) as p:
            p.fillRect(self.rect(), gradient)
