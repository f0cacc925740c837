"""Which chart pages the Indicators and Awards screens offer, derived from the content.

Pure logic, no Qt: each page is a ``PlaylistEntry`` (so the same slide classes as the
attract loop draw it) plus the one plain-language line shown under the chart. Pages are
derived from what the data holds, never from the seed's keys: every comparison group
becomes a bars page, every other indicator its own KPI (count, ratio) or ring (percent)
page; every ranking group a ranking page, every award or recognition its own card page.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.model import EMPTY_TEXT, Content, Indicator, PlaylistEntry, Text
from kiosk.content.playlist import resolve


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


def _entry(key: str, position: int, kind: str, ref: str) -> PlaylistEntry:
    # duration_s is unused in explore mode: the visitor moves on by swiping.
    return PlaylistEntry(key=f"explore_{key}", position=position, kind=kind, ref=ref, duration_s=0)


def _explain_group(rows: tuple[Indicator, ...]) -> Text:
    return _first(
        *(r.explanation for r in rows), *(r.national_note for r in rows), rows[0].group_label
    )


def _explain_one(row: Indicator) -> Text:
    # Some figures have no written explanation; their label (and the national comparison,
    # where the source gives one) is then the plainest true line there is.
    if _has(row.explanation):
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
        entry = _entry(f"ind_{row.key}", row.position, kind, row.key)
        pages.append((row.position, ChartPage(entry, _explain_one(row))))
    return tuple(page for _, page in pages if resolve(page.entry, content) is not None)


def award_pages(content: Content) -> tuple[ChartPage, ...]:
    """A ranking page per ranking group, then a card page per award or recognition."""
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
            pages.append(
                ChartPage(
                    _entry(f"rank_{row.group_key}", row.position, "ranking", row.group_key),
                    explanation,
                )
            )
    for row in rows:
        if row.category == "ranking" and row.group_key:
            continue
        # An ungrouped ranking is shown as a card too: the ranking kind with ref "" would
        # repeat every grouped ranking.
        explanation = _first(row.body, row.title)
        pages.append(
            ChartPage(_entry(f"ach_{row.key}", row.position, "awards", row.key), explanation)
        )
    return tuple(page for page in pages if resolve(page.entry, content) is not None)
