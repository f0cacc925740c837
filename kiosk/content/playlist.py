"""Which slides the attract loop shows, in what order, and what each one draws.

Pure logic, no Qt: ``active_entries`` applies the enabled flag and the show-from /
show-until dates; ``resolve`` turns a playlist entry's ``ref`` into the rows the slide
draws, so the UI never interprets refs itself and a bad ref is caught before any widget
is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.content.i18n import format_date, has, t
from kiosk.content.model import (
    MAX_DURATION_S,
    MIN_DURATION_S,
    SLIDE_KINDS,
    Achievement,
    Content,
    Indicator,
    PlaylistEntry,
    Project,
    Quote,
    Text,
)


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
    """The entry's duration (or the default when it gives none).

    Content that passed validation is already within the bounds, so this changes nothing
    on screen; the bound only guards content built without the store (tests, tools).
    """
    duration = entry.duration_s if entry.duration_s and entry.duration_s > 0 else default_s
    return min(MAX_DURATION_S, max(MIN_DURATION_S, float(duration)))


def _pick(first: Text, second: Text) -> Text:
    """``first`` unless it is empty in both languages (a Text instance is always truthy)."""
    return first if (first.vi or first.en) else second


def ref_keys(ref: str) -> list[str]:
    """The keys a ``ref`` names, in its order (comma-separated)."""
    return [k.strip() for k in ref.split(",") if k.strip()]


def _by_keys(rows, keys: list[str]):
    by_key = {row.key: row for row in rows}
    return tuple(by_key[k] for k in keys if k in by_key)


def _sorted(rows):
    return tuple(sorted(rows, key=lambda r: (getattr(r, "position", 0), r.key)))


@dataclass(frozen=True, slots=True)
class RefFinding:
    """Something in an entry's ``ref`` that resolution could not use, as the store reports it.

    ``code`` names the store's staff message: "unknown_ref" (``what`` names the kind of
    row, ``value`` its key), "needs_indicators", "rings_not_percent" (``value`` the
    indicator) or "slide_shows_nothing" (nothing to draw, so the slide is skipped).
    """

    code: str
    what: str = ""
    value: str = ""


def resolve(entry: PlaylistEntry, content: Content) -> SlideData | None:
    """The rows ``entry`` shows, or None when its ref points at nothing."""
    return resolve_checked(entry, content)[0]


def ref_findings(entry: PlaylistEntry, content: Content) -> tuple[RefFinding, ...]:
    """Why ``entry`` shows less than its ref names, or nothing; () when it shows it all."""
    return resolve_checked(entry, content)[1]


def resolve_checked(
    entry: PlaylistEntry, content: Content
) -> tuple[SlideData | None, tuple[RefFinding, ...]]:
    """``resolve`` and ``ref_findings`` in one pass: the same code draws and checks a ref."""
    found: list[RefFinding] = []
    data = _resolve(entry, content, found)
    if data is None and not found and entry.kind in SLIDE_KINDS:
        found.append(RefFinding("slide_shows_nothing"))
    return data, tuple(found)


def _unknown(found: list[RefFinding], what: str, keys, known) -> None:
    found.extend(RefFinding("unknown_ref", what, k) for k in keys if k not in known)


def _resolve(entry: PlaylistEntry, content: Content, found: list[RefFinding]) -> SlideData | None:
    kind, ref = entry.kind, entry.ref.strip()
    title = entry.title
    keys = ref_keys(ref)
    if kind in ("kpi", "rings"):
        if not keys:
            found.append(RefFinding("needs_indicators"))
        _unknown(found, "indicator", keys, {i.key for i in content.indicators})
        rows = _by_keys(content.indicators, keys)
        if kind == "rings":
            others = [r.key for r in rows if r.kind != "percent"]
            found.extend(RefFinding("rings_not_percent", value=k) for k in others)
            rows = tuple(r for r in rows if r.kind == "percent")
        if not rows:
            return None
        return SlideData(entry, _pick(title, rows[0].group_label), indicators=rows)
    if kind == "bars":
        rows = _sorted(content.indicators_in_group(ref))
        if not rows:
            # Not a group: comma-separated indicator keys (a single unknown key reads as a group).
            what = "indicator group" if len(keys) <= 1 else "indicator"
            _unknown(found, what, keys or [ref], {i.key for i in content.indicators})
            rows = _by_keys(content.indicators, keys)
        if len(rows) < 2:
            return None  # a comparison needs at least two bars
        return SlideData(entry, _pick(title, rows[0].group_label), indicators=rows)
    if kind == "ranking":
        rows = tuple(a for a in content.achievements if a.category == "ranking")
        if ref:
            rows = tuple(a for a in rows if a.group_key == ref)
            _unknown(found, "achievement group", [ref], {a.group_key for a in rows})
        rows = _sorted(rows)
        # The headline ranking (the one with a body, or the first) leads; pillars follow.
        return SlideData(entry, title, achievements=rows) if rows else None
    if kind == "awards":
        if ref:
            _unknown(found, "award", keys, {a.key for a in content.achievements})
            rows = _by_keys(content.achievements, keys)
        else:
            rows = _sorted(a for a in content.achievements if a.category != "ranking")
        return SlideData(entry, title, achievements=rows) if rows else None
    if kind == "projects":
        _unknown(found, "project", keys, {p.key for p in content.projects})
        rows = _by_keys(content.projects, keys) if ref else _sorted(content.projects)
        return SlideData(entry, title, projects=rows) if rows else None
    if kind == "quote":
        quote = content.quote(ref)
        if quote is None:
            found.append(RefFinding("unknown_ref", "quote", ref))
        return SlideData(entry, title, quote=quote) if quote else None
    return None


@dataclass(frozen=True, slots=True)
class RefChoice:
    """One row (or, for a bar chart, one whole comparison group) a slide can show."""

    key: str
    label: Text
    whole_group: bool = False


@dataclass(frozen=True, slots=True)
class RefOptions:
    """What a slide kind's ``ref`` may name: the rows, whether it lists several in order
    (``many``) or names one, and whether it may be left empty to show them all."""

    choices: tuple[RefChoice, ...]
    many: bool
    empty_shows_all: bool


def ref_options(kind: str, content: Content, ref: str = "") -> RefOptions:
    """The rows ``kind`` can show from ``content``, for editors; ``_resolve`` draws them.
    ``ref``: the entry's current ref, which decides what a bar chart's keys mean."""
    if kind in ("kpi", "rings", "bars"):
        rows = _sorted(content.indicators)
        if kind == "rings":
            rows = tuple(r for r in rows if r.kind == "percent")
        choices = [RefChoice(r.key, r.label) for r in rows]
        if kind == "bars":
            # One key is read as a group first, several keys as indicators (``_resolve``):
            # with one key, an indicator sharing a group's key is offered as that group.
            groups = {r.group_key: r.group_label for r in rows if r.group_key}
            if len(ref_keys(ref)) <= 1:
                choices = [c for c in choices if c.key not in groups]
            choices[:0] = [RefChoice(k, label, whole_group=True) for k, label in groups.items()]
        return RefOptions(tuple(choices), many=True, empty_shows_all=False)
    if kind == "ranking":
        rows = _sorted(a for a in content.achievements if a.category == "ranking")
        groups = {a.group_key: a.title for a in reversed(rows) if a.group_key}
        choices = tuple(RefChoice(k, groups[k], whole_group=True) for k in sorted(groups))
        return RefOptions(choices, many=False, empty_shows_all=True)
    if kind == "awards":
        rows = _sorted(content.achievements)
        return RefOptions(tuple(RefChoice(a.key, a.title) for a in rows), True, True)
    if kind == "projects":
        rows = _sorted(content.projects)
        return RefOptions(tuple(RefChoice(p.key, p.title) for p in rows), True, True)
    if kind == "quote":
        choices = tuple(RefChoice(q.key, _quote_label(q)) for q in content.quotes)
        return RefOptions(choices, many=False, empty_shows_all=False)
    return RefOptions((), many=False, empty_shows_all=False)


def _quote_label(quote: Quote, words: int = 12) -> Text:
    """The speaker and the first words of the quote, so editors can tell quotes apart."""

    def opening(text: str) -> str:
        cut = text.split()
        return " ".join(cut[:words]) + (" …" if len(cut) > words else "")

    return Text(
        f"{quote.speaker}: {opening(quote.text.vi)}", f"{quote.speaker}: {opening(quote.text.en)}"
    )


def next_index(current: int, count: int) -> int:
    """The slide after ``current`` in a loop of ``count`` slides."""
    return 0 if count <= 0 else (current + 1) % count


_NOT_STATED = ("không ghi", "not stated")


def heading_of(data: SlideData) -> Text:
    """The slide's heading: its own title, else the kind's default."""
    key = f"slide.{data.entry.kind}"  # a kind without a default heading (quote) shows none
    default = Text(t(key, "vi"), t(key, "en")) if has(key) else Text("", "")
    return _pick(data.title, default)


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
    return format_date(day, "day", lang)
