"""Which slides the attract loop shows, in what order, and what each one draws.

Pure logic, no Qt: ``active_entries`` applies the enabled flag and the show-from /
show-until dates; ``resolve`` turns a playlist entry's ``ref`` into the rows the slide
draws, so the UI never interprets refs itself and a bad ref is caught before any widget
is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.content.i18n import t
from kiosk.content.model import (
    Achievement,
    Content,
    Indicator,
    PlaylistEntry,
    Project,
    Quote,
    Text,
)

MIN_DURATION_S = 4.0  # shorter than this and nobody can read a slide from across a lobby
MAX_DURATION_S = 120.0


@dataclass(frozen=True, slots=True)
class SlideData:
    """Everything one slide draws, resolved from the content."""

    entry: PlaylistEntry
    title: Text
    indicators: tuple[Indicator, ...] = ()
    achievements: tuple[Achievement, ...] = ()
    projects: tuple[Project, ...] = ()
    quote: Quote | None = None

    @property
    def source_keys(self) -> tuple[str, ...]:
        """The sources cited by what the slide shows, in first-use order."""
        rows = (*self.indicators, *self.achievements, *self.projects)
        keys = [row.source_key for row in rows]
        if self.quote is not None:
            keys.append(self.quote.source_key)
        return tuple(dict.fromkeys(keys))


def active_entries(content: Content, today: dt.date) -> tuple[PlaylistEntry, ...]:
    """Enabled entries shown on ``today``, in playlist order, that resolve to something."""
    entries = []
    for entry in sorted(content.playlist, key=lambda e: (e.position, e.key)):
        if not entry.enabled:
            continue
        if entry.show_from and today < entry.show_from:
            continue
        if entry.show_until and today > entry.show_until:
            continue
        if resolve(entry, content) is None:
            continue
        entries.append(entry)
    return tuple(entries)


def duration_of(entry: PlaylistEntry, default_s: float) -> float:
    """The entry's duration, or the default, kept within readable bounds."""
    duration = entry.duration_s if entry.duration_s and entry.duration_s > 0 else default_s
    return min(MAX_DURATION_S, max(MIN_DURATION_S, float(duration)))


def _pick(first: Text, second: Text) -> Text:
    """``first`` unless it is empty in both languages (a Text instance is always truthy)."""
    return first if (first.vi or first.en) else second


def _keys(ref: str) -> list[str]:
    return [k.strip() for k in ref.split(",") if k.strip()]


def _by_keys(rows, keys: list[str]):
    by_key = {row.key: row for row in rows}
    return tuple(by_key[k] for k in keys if k in by_key)


def _sorted(rows):
    return tuple(sorted(rows, key=lambda r: (getattr(r, "position", 0), r.key)))


def resolve(entry: PlaylistEntry, content: Content) -> SlideData | None:
    """The rows ``entry`` shows, or None when its ref points at nothing."""
    kind, ref = entry.kind, entry.ref.strip()
    title = entry.title
    if kind in ("kpi", "rings"):
        rows = _by_keys(content.indicators, _keys(ref))
        if kind == "rings":
            rows = tuple(r for r in rows if r.kind == "percent")
        if not rows:
            return None
        return SlideData(entry, _pick(title, rows[0].group_label), indicators=rows)
    if kind == "bars":
        rows = _sorted(content.indicators_in_group(ref)) or _by_keys(content.indicators, _keys(ref))
        if len(rows) < 2:
            return None  # a comparison needs at least two bars
        return SlideData(entry, _pick(title, rows[0].group_label), indicators=rows)
    if kind == "ranking":
        rows = tuple(a for a in content.achievements if a.category == "ranking")
        if ref:
            rows = tuple(a for a in rows if a.group_key == ref)
        rows = _sorted(rows)
        # The headline ranking (the one with a body, or the first) leads; pillars follow.
        return SlideData(entry, title, achievements=rows) if rows else None
    if kind == "awards":
        if ref:
            rows = _by_keys(content.achievements, _keys(ref))
        else:
            rows = _sorted(a for a in content.achievements if a.category != "ranking")
        return SlideData(entry, title, achievements=rows) if rows else None
    if kind == "projects":
        rows = _by_keys(content.projects, _keys(ref)) if ref else _sorted(content.projects)
        return SlideData(entry, title, projects=rows) if rows else None
    if kind == "quote":
        quote = content.quote(ref)
        return SlideData(entry, title, quote=quote) if quote else None
    return None


def next_index(current: int, count: int) -> int:
    """The slide after ``current`` in a loop of ``count`` slides."""
    return 0 if count <= 0 else (current + 1) % count


# Headings for slides whose playlist entry and data give none.
DEFAULT_TITLES: dict[str, Text] = {
    "kpi": Text("Số liệu nổi bật", "Key figures"),
    "rings": Text("Kết nối số", "Digital connectivity"),
    "bars": Text("So sánh", "Comparison"),
    "ranking": Text("Xếp hạng chuyển đổi số", "Digital transformation ranking"),
    "awards": Text("Giải thưởng và ghi nhận", "Awards and recognition"),
    "projects": Text("Nhiệm vụ, dự án năm 2022", "2022 projects and tasks"),
    "quote": Text("", ""),
}

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NOT_STATED = ("không ghi", "not stated")


def heading_of(data: SlideData) -> Text:
    """The slide's heading: its own title, else the kind's default."""
    return _pick(data.title, DEFAULT_TITLES.get(data.entry.kind, Text("", "")))


def source_line(content: Content, keys: tuple[str, ...], lang: str) -> str:
    """ "Nguồn: <article>, 24/01/2022" for every source a slide cites; "" for none."""
    parts = []
    for key in keys:
        source = content.source(key)
        if source is None:
            continue
        part = source.title.get(lang)
        publisher = source.publisher.get(lang)
        if publisher and not publisher.lower().startswith(_NOT_STATED):
            part += f", {publisher}"
        if source.published:
            part += f", {_date_text(source.published, lang)}"
        parts.append(part)
    if not parts:
        return ""
    return t("source.line", lang, title="; ".join(parts))


def _date_text(iso: str, lang: str) -> str:
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    if lang == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
