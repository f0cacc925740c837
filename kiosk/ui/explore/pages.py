"""Which chart pages the Indicators and Awards screens offer, derived from the content.

Pure logic, no Qt: each page is a ``PlaylistEntry`` (so the same slide classes as the
attract loop draw it) plus the one plain-language line shown under the chart. Pages are
derived from what the data holds, never from the seed's keys: every comparison group
becomes a bars page, every other indicator its own KPI (count, ratio) or ring (percent)
page; every ranking group a ranking page, and each kind of award a page of cards.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.i18n import achievement_kind
from kiosk.content.model import EMPTY_TEXT, Achievement, Content, Indicator, PlaylistEntry, Text
from kiosk.content.playlist import resolve
from kiosk.ui.explore.strings import has, tr


@dataclass(frozen=True, slots=True)
class ChartPage:
    """One browsable chart: the slide to draw and its explanation line."""

    entry: PlaylistEntry
    explanation: Text


def _has(text: Text) -> bool:
    return bool(text.vi or text.en)


def _first(*texts: Text) -> Text:
    for text in texts:
        if _has(text):
            return text
    return EMPTY_TEXT


def _entry(key: str, position: int, kind: str, ref: str, title: Text = EMPTY_TEXT) -> PlaylistEntry:
    # duration_s is unused in explore mode: the visitor moves on by swiping.
    return PlaylistEntry(
        key=f"explore_{key}", position=position, kind=kind, ref=ref, duration_s=0, title=title
    )


def _explain_group(rows: tuple[Indicator, ...]) -> Text:
    return _first(
        *(r.explanation for r in rows), *(r.national_note for r in rows), rows[0].group_label
    )


def _explain_one(row: Indicator) -> Text:
    # Some figures have no written explanation; their label (and the national comparison,
    # where the source gives one) is then the plainest true line there is.
    if _has(row.explanation):
        # The national comparison is part of the fact ("gấp 2 lần bình quân cả nước");
        # the chart does not print it, so the line carries it unless it already does.
        note = row.national_note
        if _has(note) and note.vi.lower() not in row.explanation.vi.lower():
            return Text(
                f"{row.explanation.vi.rstrip('.')}, {note.vi}.",
                f"{row.explanation.en.rstrip('.')}, {note.en}.",
            )
        return row.explanation
    if _has(row.national_note):
        return Text(
            f"{row.label.vi}: {row.national_note.vi}.", f"{row.label.en}: {row.national_note.en}."
        )
    return row.label


def indicator_pages(content: Content) -> tuple[ChartPage, ...]:
    """Bars for each comparison group, then one page per ungrouped indicator, in order."""
    rows = sorted(content.indicators, key=lambda r: (r.position, r.key))
    pages: list[tuple[int, ChartPage]] = []
    seen_groups: set[str] = set()
    for row in rows:
        if row.group_key:
            if row.group_key in seen_groups:
                continue
            seen_groups.add(row.group_key)
            group = tuple(r for r in rows if r.group_key == row.group_key)
            if len(group) >= 2:
                entry = _entry(f"group_{row.group_key}", row.position, "bars", row.group_key)
                pages.append((row.position, ChartPage(entry, _explain_group(group))))
                continue
        kind = "rings" if row.kind == "percent" else "kpi"
        # The figure's own label heads its page: a kind's default heading ("Digital
        # connectivity" for every ring) would mislabel a single figure.
        entry = _entry(f"ind_{row.key}", row.position, kind, row.key, row.label)
        pages.append((row.position, ChartPage(entry, _explain_one(row))))
    return tuple(page for _, page in pages if resolve(page.entry, content) is not None)


def _years(rows) -> str:
    years = sorted({r.year for r in rows})
    return ", ".join(str(y) for y in years)


def _explain_cards(category: str, rows: list[Achievement]) -> Text:
    """One card's own body, or a line naming what the cards are and their years."""
    if len(rows) == 1 and _has(rows[0].body):
        return rows[0].body
    years = _years(rows)
    key = f"explain.{category}"
    if has(key):
        return Text(tr(key, "vi", years=years), tr(key, "en", years=years))
    return Text(
        f"{achievement_kind(category, 'vi')} ({years})",
        f"{achievement_kind(category, 'en')} ({years})",
    )


def award_pages(content: Content) -> tuple[ChartPage, ...]:
    """A ranking page per ranking group, then one card page per kind of achievement
    (awards, recognitions, ungrouped rankings), in order of first appearance."""
    rows = sorted(content.achievements, key=lambda r: (r.position, r.key))
    pages: list[ChartPage] = []
    seen_groups: set[str] = set()
    for row in rows:
        if row.category == "ranking" and row.group_key:
            if row.group_key in seen_groups:
                continue
            seen_groups.add(row.group_key)
            group = [r for r in rows if r.category == "ranking" and r.group_key == row.group_key]
            explanation = _first(*(r.body for r in group), row.title)
            # "Digital transformation ranking" (the kind's default) would mislabel e.g. the
            # mobile-phone ranking; the years are all the heading can say for every group.
            years = _years(group)
            title = Text(
                tr("heading.ranking", "vi", years=years), tr("heading.ranking", "en", years=years)
            )
            entry = _entry(f"rank_{row.group_key}", row.position, "ranking", row.group_key, title)
            pages.append(ChartPage(entry, explanation))
    # The rest as card grids, one page per category: a card grid is drawn for several
    # cards, and one card alone on a page would leave its text small in a large frame.
    # An ungrouped ranking is a card too: the ranking kind with ref "" would repeat
    # every grouped ranking.
    rest = [r for r in rows if not (r.category == "ranking" and r.group_key)]
    for category in dict.fromkeys(r.category for r in rest):
        members = [r for r in rest if r.category == category]
        ref = ",".join(r.key for r in members)
        entry = _entry(f"cards_{category}", members[0].position, "awards", ref)
        pages.append(ChartPage(entry, _explain_cards(category, members)))
    return tuple(page for page in pages if resolve(page.entry, content) is not None)
