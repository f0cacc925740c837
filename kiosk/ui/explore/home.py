"""The explore home screen: four large tiles, one per topic."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

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

    def __init__(self, theme: Theme, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang = lang
        layout = QVBoxLayout(self)
        m = theme.margin
        layout.setContentsMargins(m, theme.px(36), m, m)
        layout.setSpacing(theme.px(20))
        self.heading = text_label("", theme, 60, bold=True)
        self.hint = text_label("", theme, 32, color=theme.muted)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        grid = QGridLayout()
        grid.setSpacing(theme.px(32))
        self.tiles: dict[str, Tile] = {}
        columns = 1 if theme.portrait else 2
        for index, topic in enumerate(TOPICS):
            tile = Tile(theme, theme.category_color(_COLORS[topic]))
            tile.clicked.connect(lambda _=False, name=topic: self.topic_chosen.emit(name))
            grid.addWidget(tile, index // columns, index % columns)
            self.tiles[topic] = tile
        layout.addLayout(grid, 1)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.retranslate()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        set_label_text(self.heading, tr("home.title", self.lang))
        set_label_text(self.hint, tr("home.hint", self.lang))
        for topic, tile in self.tiles.items():
            tile.set_texts(tr(f"tile.{topic}", self.lang), tr(f"tile.{topic}.hint", self.lang))
