"""The seven slide kinds, chosen from what the data means, and ``make_slide``.

Which rows a slide shows is decided in ``kiosk.content.playlist.resolve``; the classes
here only draw them. Charts that need pyqtgraph import it when they are first built.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.content.i18n import achievement_kind, t
from kiosk.content.model import Achievement, Content, PlaylistEntry
from kiosk.content.playlist import resolve
from kiosk.ui.slides.base import Slide
from kiosk.ui.slides.figures import KpiTiles, QuoteCard
from kiosk.ui.slides.painted import Card, CardGrid, TextBlock
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import set_label_text, text_label


def rank_text(rank: int | None, lang: str) -> str:
    return t("rank.short", lang, rank=rank) if rank else ""


class KpiSlide(Slide):
    def build_body(self) -> QWidget:
        self.tiles = KpiTiles(self.theme)
        return self.tiles

    def retranslate_body(self) -> None:
        self.tiles.set_data(self.data.indicators, self.lang)

    def set_progress(self, t: float) -> None:
        self.progress = t
        self.tiles.set_progress(t)


class RingsSlide(Slide):
    def build_body(self) -> QWidget:
        from kiosk.ui.slides.charts import RingsChart

        self.chart = RingsChart(self.theme, len(self.data.indicators))
        return self.chart

    def retranslate_body(self) -> None:
        self.chart.set_data(self.data.indicators, self.lang)
        self.chart.set_progress(self.progress)

    def set_progress(self, t: float) -> None:
        self.progress = t
        self.chart.set_progress(t)


class BarsSlide(Slide):
    def build_body(self) -> QWidget:
        from kiosk.ui.slides.charts import BarsChart

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.chart = BarsChart(self.theme, len(self.data.indicators))
        self.note = text_label("", self.theme, 30, color=self.theme.accent2)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.note)
        return body

    def retranslate_body(self) -> None:
        self.chart.set_data(self.data.indicators, self.lang)
        self.chart.set_progress(self.progress)
        # Each note belongs to one bar, so it says whose it is ("Trade: ..."); a note the
        # bar's label already carries ("... (first in the country)") is not said twice.
        lang = self.lang
        noted = [
            i
            for i in self.data.indicators
            if i.national_note.get(lang)
            and i.national_note.get(lang).lower() not in i.label.get(lang).lower()
        ]
        note = " · ".join(
            f"{i.label.get(self.lang)}: {i.national_note.get(self.lang)}" for i in noted
        )
        set_label_text(self.note, note)
        self.note.setVisible(bool(note))

    def set_progress(self, t: float) -> None:
        self.progress = t
        self.chart.set_progress(t)


class _CardSlide(Slide):
    hero_first = False

    def build_body(self) -> QWidget:
        self.grid = CardGrid(self.theme, hero_first=self.hero_first)
        return self.grid

    def cards(self) -> list[Card]:
        raise NotImplementedError

    def retranslate_body(self) -> None:
        self.grid.set_cards(self.cards())

    def set_progress(self, t: float) -> None:
        self.progress = t
        self.grid.set_progress(t)


def _giver_line(a: Achievement, lang: str) -> str:
    giver = a.giver.get(lang)
    return f"{giver} · {a.year}" if giver else str(a.year)


class RankingSlide(_CardSlide):
    """The headline ranking as a hero card, its pillars as cards below."""

    hero_first = True

    def cards(self) -> list[Card]:
        th, lang = self.theme, self.lang
        rows = self.data.achievements
        # The headline is the ranking that has a body text; pillars have none.
        hero = next((a for a in rows if a.body.get(lang)), rows[0])
        others = [a for a in rows if a is not hero]
        cards = [
            Card(
                (
                    TextBlock(rank_text(hero.rank, lang), 92, True, th.accent, 8),
                    TextBlock(hero.title.get(lang), 46, True, th.text, 14),
                    TextBlock(_giver_line(hero, lang), 28, False, th.muted, 10),
                    TextBlock(hero.body.get(lang), 28, False, th.text, 0),
                ),
                th.accent,
            )
        ]
        for a in others:
            cards.append(
                Card(
                    (
                        TextBlock(rank_text(a.rank, lang), 60, True, th.accent, 8),
                        TextBlock(a.title.get(lang), 36, True, th.text, 10),
                        TextBlock(a.body.get(lang), 26, False, th.muted, 0),
                    ),
                    th.accent,
                )
            )
        return cards


class AwardsSlide(_CardSlide):
    def cards(self) -> list[Card]:
        th, lang = self.theme, self.lang
        cards = []
        for a in self.data.achievements:
            badge = achievement_kind(a.category, lang).upper()
            cards.append(
                Card(
                    (
                        TextBlock(badge, 24, True, th.accent2, 10),
                        TextBlock(a.title.get(lang), 34, True, th.text, 12),
                        TextBlock(_giver_line(a, lang), 25, False, th.muted, 8),
                        TextBlock(a.body.get(lang), 25, False, th.text, 0),
                    ),
                    th.category_color(a.category),
                )
            )
        return cards


class ProjectsSlide(_CardSlide):
    def cards(self) -> list[Card]:
        th, lang = self.theme, self.lang
        return [
            Card(
                (
                    TextBlock(p.status.get(lang).upper(), 24, True, th.good, 10),
                    TextBlock(p.title.get(lang), 32, True, th.text, 10),
                    TextBlock(p.body.get(lang), 24, False, th.muted, 0),
                ),
                th.good,
            )
            for p in self.data.projects
        ]


class QuoteSlide(Slide):
    def build_body(self) -> QWidget:
        self.card = QuoteCard(self.theme)
        return self.card

    def retranslate_body(self) -> None:
        self.card.set_data(self.data.quote, self.lang)

    def set_progress(self, t: float) -> None:
        self.progress = t
        self.card.set_progress(t)


SLIDE_CLASSES: dict[str, type[Slide]] = {
    "kpi": KpiSlide,
    "rings": RingsSlide,
    "bars": BarsSlide,
    "ranking": RankingSlide,
    "awards": AwardsSlide,
    "projects": ProjectsSlide,
    "quote": QuoteSlide,
}


def make_slide(
    entry: PlaylistEntry,
    content: Content,
    theme: Theme,
    lang: str = "vi",
    reduced_motion: bool = False,
    parent: QWidget | None = None,
) -> Slide:
    """Build the slide for ``entry``; ValueError when its ref resolves to nothing."""
    data = resolve(entry, content)
    if data is None or entry.kind not in SLIDE_CLASSES:
        raise ValueError(f"playlist entry {entry.key!r} ({entry.kind}) shows nothing")
    return SLIDE_CLASSES[entry.kind](data, content, theme, lang, reduced_motion, parent)
