"""Which chart pages the Indicators and Awards screens offer, derived from the content.

Pure logic, no Qt: each page is a ``PlaylistEntry`` (so the same slide classes as the
attract loop draw it) plus a footer line and, for a single indicator, the indicators shown
as tiles that open their own pages. Pages are derived from what the data holds, never from
the seed's keys: every comparison group becomes a bars page, every other indicator its own
page with its context (explanation, national comparison, period); every ranking group a
ranking page, and each kind of award a page of cards.

Say it once: a footer carries only what its page does not already show (the period of a
comparison, how many awards a page holds), or nothing; ``footer_or_nothing`` drops a line
the page already says.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.i18n import period_text
from kiosk.content.model import (
    EMPTY_TEXT,
    LANGS,
    Achievement,
    Content,
    Indicator,
    PlaylistEntry,
    Text,
)
from kiosk.content.playlist import resolve
from kiosk.ui.explore.strings import has, tr

MAX_RELATED = 4  # tiles under an indicator: one row, each a comfortable touch target


@dataclass(frozen=True, slots=True)
class ChartPage:
    """One browsable page: the slide to draw, its footer line, and for a single figure the
    key of that figure and of the figures offered as tiles under it."""

    entry: PlaylistEntry
    explanation: Text
    indicator_key: str = ""
    related: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()  # indicator keys this page shows (a tile opens it)


def _has(text: Text) -> bool:
    return bool(text.vi or text.en)


def _entry(key: str, position: int, kind: str, ref: str, title: Text = EMPTY_TEXT) -> PlaylistEntry:
    # duration_s is unused in explore mode: the visitor moves on by swiping.
    return PlaylistEntry(
        key=f"explore_{key}", position=position, kind=kind, ref=ref, duration_s=0, title=title
    )


def footer_or_nothing(footer: Text, *shown: Text) -> Text:
    """``footer``, unless the page already says it (in either language, any case)."""
    for lang in LANGS:
        line = footer.get(lang).strip().rstrip(".").lower()
        if not line:
            return EMPTY_TEXT
        if any(line in text.get(lang).lower() for text in shown):
            return EMPTY_TEXT
    return footer


def _period_footer(rows: tuple[Indicator, ...], heading: Text) -> Text:
    """ "Figures for 2021" when the heading does not already name the period."""
    periods = tuple(dict.fromkeys(r.period for r in rows if r.period))
    if len(periods) != 1:
        return EMPTY_TEXT
    when = Text(period_text(periods[0], "vi"), period_text(periods[0], "en"))
    if any(when.get(lang).lower() in heading.get(lang).lower() for lang in LANGS):
        return EMPTY_TEXT
    return Text(tr("period.figures", "vi", when=when.vi), tr("period.figures", "en", when=when.en))


def _related(row: Indicator, rows: list[Indicator]) -> tuple[str, ...]:
    """The figures given for the same period in the same source, nearest first after this
    one (its comparison group, when it has one, comes first)."""
    same = [
        r
        for r in rows
        if r.key != row.key and r.period == row.period and r.source_key == row.source_key
    ]
    index = {r.key: i for i, r in enumerate(rows)}
    here = index[row.key]
    same.sort(
        key=lambda r: (
            not (row.group_key and r.group_key == row.group_key),
            (index[r.key] - here) % len(rows),
        )
    )
    return tuple(r.key for r in same)


def indicator_pages(content: Content) -> tuple[ChartPage, ...]:
    """Bars for each comparison group, then one page per ungrouped indicator, in order."""
    rows = sorted(content.indicators, key=lambda r: (r.position, r.key))
    pages: list[ChartPage] = []
    seen_groups: set[str] = set()
    for row in rows:
        if row.group_key:
            if row.group_key in seen_groups:
                continue
            seen_groups.add(row.group_key)
            group = tuple(r for r in rows if r.group_key == row.group_key)
            if len(group) >= 2:
                entry = _entry(f"group_{row.group_key}", row.position, "bars", row.group_key)
                # The bars show every label and value, the note under them the national
                # comparison; the footer adds the period, if the heading lacks it.
                notes = [r.national_note for r in group]
                footer = _period_footer(group, row.group_label)
                footer = footer_or_nothing(footer, row.group_label, *notes)
                covers = tuple(r.key for r in group)
                pages.append(ChartPage(entry, footer, covers=covers))
                continue
        kind = "rings" if row.kind == "percent" else "kpi"
        # The figure's own label heads its page, once; its explanation, national comparison
        # and period are on the page itself, so it needs no footer.
        entry = _entry(f"ind_{row.key}", row.position, kind, row.key, row.label)
        pages.append(ChartPage(entry, EMPTY_TEXT, row.key, _related(row, rows), covers=(row.key,)))
    kept = [page for page in pages if resolve(page.entry, content) is not None]
    shown = {key for page in kept for key in page.covers}
    return tuple(_trim_related(page, shown, kept) if page.indicator_key else page for page in kept)


def _trim_related(page: ChartPage, shown: set[str], pages: list[ChartPage]) -> ChartPage:
    """At most ``MAX_RELATED`` tiles, each opening a different page (not this one)."""
    keep: list[str] = []
    opened: set[int] = set()
    for key in page.related:
        target = page_for(tuple(pages), key)
        if key not in shown or target is None or pages[target] is page or target in opened:
            continue
        opened.add(target)
        keep.append(key)
        if len(keep) == MAX_RELATED:
            break
    return ChartPage(page.entry, page.explanation, page.indicator_key, tuple(keep), page.covers)


def page_for(pages: tuple[ChartPage, ...], indicator_key: str) -> int | None:
    """The index of the page that shows ``indicator_key`` (its own, or its group's)."""
    for index, page in enumerate(pages):
        if indicator_key in page.covers:
            return index
    return None


def _years(rows) -> str:
    years = sorted({r.year for r in rows})
    return ", ".join(str(y) for y in years)


def _cards_footer(category: str, rows: list[Achievement]) -> Text:
    """How many cards, and their years; nothing for one card (it says it all itself)."""
    key = f"count.{category}"
    if len(rows) < 2 or not has(key):
        return EMPTY_TEXT
    years, n = _years(rows), len(rows)
    return Text(tr(key, "vi", n=n, years=years), tr(key, "en", n=n, years=years))


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
            # "Digital transformation ranking" (the kind's default) would mislabel e.g. the
            # mobile-phone ranking; the years are all the heading can say for every group.
            years = _years(group)
            title = Text(
                tr("heading.ranking", "vi", years=years), tr("heading.ranking", "en", years=years)
            )
            entry = _entry(f"rank_{row.group_key}", row.position, "ranking", row.group_key, title)
            # The hero card shows the headline's body: the footer would only repeat it.
            pages.append(ChartPage(entry, EMPTY_TEXT))
    # The rest as card grids, one page per category: a card grid is drawn for several
    # cards, and one card alone on a page would leave its text small in a large frame.
    # An ungrouped ranking is a card too: the ranking kind with ref "" would repeat
    # every grouped ranking.
    rest = [r for r in rows if not (r.category == "ranking" and r.group_key)]
    for category in dict.fromkeys(r.category for r in rest):
        members = [r for r in rest if r.category == category]
        ref = ",".join(r.key for r in members)
        entry = _entry(f"cards_{category}", members[0].position, "awards", ref)
        shown = [t for r in members for t in (r.title, r.body, r.giver)]
        pages.append(ChartPage(entry, footer_or_nothing(_cards_footer(category, members), *shown)))
    return tuple(page for page in pages if resolve(page.entry, content) is not None)
