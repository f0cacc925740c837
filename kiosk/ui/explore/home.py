"""The explore home screen: four large tiles, one per topic."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.content.model import Content
from kiosk.content.timeline import showing
from kiosk.ui.explore.controls import Tile
from kiosk.ui.explore.strings import tr
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import set_label_text, text_label

# Screen names, in tile order; the stripe colours reuse the category palette.
TOPICS = ("timeline", "indicators", "awards", "about")
_COLORS = {"timeline": "event", "indicators": "ranking", "awards": "award", "about": "policy"}


class HomeScreen(QWidget):
    """Heading plus a 2x2 grid of tiles (1 column in portrait); emits the chosen topic."""

    topic_chosen = Signal(str)

    def __init__(
        self, theme: Theme, lang: str, content: Content | None = None, parent=None
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang = lang
        self.content = content or Content()
        layout = QVBoxLayout(self)
        m = theme.margin
        layout.setContentsMargins(m, theme.px(36), m, theme.px(40))
        layout.setSpacing(theme.px(20))
        self.heading = text_label("", theme, 60, bold=True)
        self.hint = text_label("", theme, 32, color=theme.muted)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setSpacing(theme.px(28))
        self.tiles: dict[str, Tile] = {}
        for topic in TOPICS:
            tile = Tile(theme, theme.category_color(_COLORS[topic]))
            tile.clicked.connect(lambda _=False, name=topic: self.topic_chosen.emit(name))
            self.tiles[topic] = tile
        self.columns = 0
        self.available = dict.fromkeys(TOPICS, True)
        self._arrange(1 if theme.portrait else 2)
        layout.addLayout(self.grid, 1)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.retranslate()

    def _arrange(self, columns: int, force: bool = False) -> None:
        """Tiles in a 2x2 grid on a wide screen, one column on a tall one; a topic with
        nothing in the content has no tile (it would open an empty page)."""
        if columns == self.columns and not force:
            return
        self.columns = columns
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        shown = [tile for topic, tile in self.tiles.items() if self.available[topic]]
        for index, tile in enumerate(shown):
            self.grid.addWidget(tile, index // columns, index % columns)
        rows = -(-len(shown) // columns)
        for row in range(4):  # the rows a previous arrangement stretched
            self.grid.setRowStretch(row, 1 if row < max(rows, 1) else 0)

    def resizeEvent(self, event) -> None:
        # Follows the screen's shape, not only the theme's: the kiosk may be rotated or
        # moved to another screen at run time.
        super().resizeEvent(event)
        self._arrange(1 if self.height() > self.width() * 1.2 else 2)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def set_content(self, content: Content) -> None:
        self.content = content
        self.retranslate()

    def retranslate(self) -> None:
        # The title names the years the timeline covers today, from the content DB: staff
        # adding a 2023 milestone changes it with no code change.
        shown = showing(self.content.milestones, dt.date.today())
        span = year_span(m.date.year for m in shown)
        title = (
            tr("home.title", self.lang, years=span) if span else tr("home.title.plain", self.lang)
        )
        set_label_text(self.heading, title)
        set_label_text(self.hint, tr("home.hint", self.lang))
        # The hints name the years the data covers, never a fixed span.
        years = {
            "timeline": span,
            "awards": year_span(a.year for a in self.content.achievements),
        }
        available = {
            "timeline": bool(shown),
            "indicators": bool(self.content.indicators),
            "awards": bool(self.content.achievements),
            "about": bool(self.content.statements or self.content.projects or self.content.quotes),
        }
        if available != self.available:
            self.available = available
            for topic, tile in self.tiles.items():
                tile.setVisible(available[topic])
            self._arrange(max(1, self.columns), force=True)
        for topic, tile in self.tiles.items():
            key = f"tile.{topic}.hint"
            if topic in years:  # no milestones or awards at all: no hint rather than "in "
                hint = tr(key, self.lang, years=years[topic]) if years[topic] else ""
            else:
                hint = tr(key, self.lang)
            tile.set_texts(tr(f"tile.{topic}", self.lang), hint)


def year_span(years) -> str:
    """ "2021", "2020–2022" for a run of years, "2019, 2021" otherwise; "" for none."""
    ordered = sorted(set(years))
    if not ordered:
        return ""
    if len(ordered) == 1:
        return str(ordered[0])
    if ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(str(y) for y in ordered)
