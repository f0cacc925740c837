"""Plain frozen dataclasses for everything the kiosk shows.

These are the contract between the store (which builds them from SQLite) and the UI
(which draws them). No Qt and no SQL here: the types must stay importable and testable
on a machine without a display or a database.

Every text a visitor can read exists in both languages; ``Text.get(lang)`` picks one.
Every content row names the ``Source`` it comes from, so a slide can print "Nguồn: …".
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Literal, get_args

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)


def split_lang(name: str) -> tuple[str, str]:
    """A column name and its language: 'label_vi' -> ('label', 'vi'); 'value' -> ('value', '')."""
    base, _, code = name.rpartition("_")
    return (base, code) if base and code in LANGS else (name, "")


# How exact a milestone date is. The source texts often give only a year ("năm 2021");
# the timeline must never show a day the source does not give.
DatePrecision = Literal["year", "month", "day"]
DATE_PRECISIONS: tuple[DatePrecision, ...] = get_args(DatePrecision)

# Qualifiers the sources put in front of a number ("gần 60%", "hơn 20 giải pháp").
# They are part of the fact and are shown in both languages.
Qualifier = Literal["", "approx", "over"]
QUALIFIERS: tuple[Qualifier, ...] = get_args(Qualifier)

# What a number measures; decides formatting and which chart suits it.
IndicatorKind = Literal["count", "percent", "ratio"]
INDICATOR_KINDS: tuple[IndicatorKind, ...] = get_args(IndicatorKind)

# What an achievement is; rankings get the ranking slide, the others the award cards.
AchievementCategory = Literal["ranking", "award", "recognition"]
ACHIEVEMENT_CATEGORIES: tuple[AchievementCategory, ...] = get_args(AchievementCategory)

# The groups of "About the programme". Any other category is shown under "other".
StatementCategory = Literal["context", "theme", "challenge", "direction", "other"]
STATEMENT_CATEGORIES: tuple[StatementCategory, ...] = get_args(StatementCategory)

SlideKind = Literal[
    "kpi",  # tiles whose numbers count up (ref: comma-separated indicator keys)
    "rings",  # percentage rings (ref: comma-separated indicator keys, all percent)
    "bars",  # comparison bars (ref: an indicator group key)
    "ranking",  # rankings (ref: achievement group key, or "" for every ranking)
    "awards",  # award cards (ref: "" for every award, or comma-separated keys)
    "quote",  # one quote card (ref: quote key)
    "projects",  # 2022 project cards (ref: "" for all, or comma-separated keys)
]
SLIDE_KINDS: tuple[SlideKind, ...] = get_args(SlideKind)

# How long one slide may stay up, in seconds. Validation, the config file and the slideshow
# all use these, so a duration that is accepted is shown for exactly that long.
MIN_DURATION_S = 3.0
MAX_DURATION_S = 600.0


def nfc(text: str) -> str:
    """Normalise text to NFC so composed and decomposed Vietnamese compare and render alike."""
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Vietnamese and English. Both are required for visitor-facing content."""

    vi: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.vi


EMPTY_TEXT = Text("", "")


@dataclass(frozen=True, slots=True)
class Source:
    """The article a content row comes from."""

    key: str
    title: Text
    publisher: Text  # may say "not stated in the article"
    published: str  # ISO date or "" when the article gives none
    note: Text = EMPTY_TEXT


@dataclass(frozen=True, slots=True)
class Indicator:
    """One figure from the sources, e.g. 1.890 procedures or 97 % online."""

    key: str
    label: Text
    value: float
    unit: Text  # "%", "thủ tục" / "procedures", "máy/100 dân" / "phones per 100 people"
    kind: IndicatorKind
    period: str  # what time the figure is for, e.g. "2021" or "01/2022"
    source_key: str
    qualifier: Qualifier = ""
    group_key: str = ""  # comparison group, e.g. "grdp_share"
    group_label: Text = EMPTY_TEXT
    national_note: Text = EMPTY_TEXT  # e.g. "gấp 2 lần bình quân cả nước"
    explanation: Text = EMPTY_TEXT  # one plain-language line for explore mode
    position: int = 0


@dataclass(frozen=True, slots=True)
class Achievement:
    """An award, ranking or recognition."""

    key: str
    title: Text
    giver: Text  # who gave it; EMPTY_TEXT when the source does not say
    year: int
    category: AchievementCategory
    source_key: str
    body: Text = EMPTY_TEXT
    rank: int | None = None  # 1 for "first place"
    group_key: str = ""  # e.g. "dti" for the DTI ranking and its three pillars
    position: int = 0


@dataclass(frozen=True, slots=True)
class Milestone:
    """A dated event for the touch timeline."""

    key: str
    date: dt.date  # for precision "year"/"month", the first day of that year/month
    precision: DatePrecision
    title: Text
    body: Text
    category: str  # e.g. "award", "ranking", "project", "policy", "event"
    source_key: str
    image: str = ""  # path relative to the DB's folder, or ""
    show_from: dt.date | None = None  # shown on the timeline from this day (None = always)
    show_until: dt.date | None = None  # ... up to and including this day

    def showing_on(self, day: dt.date) -> bool:
        return (self.show_from is None or self.show_from <= day) and (
            self.show_until is None or day <= self.show_until
        )


@dataclass(frozen=True, slots=True)
class Category:
    """A milestone category staff defined: its name in both languages and its colour."""

    key: str  # lower case, as milestones name it
    name: Text
    color: str  # "#RRGGBB"
    position: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    """Words of a leader. ``direct`` quotes are verbatim; others are reported speech."""

    key: str
    speaker: str  # a person's name is not translated
    role: Text
    text: Text
    source_key: str
    direct: bool = True
    said_on: str = ""  # ISO date or "" when the source gives none


@dataclass(frozen=True, slots=True)
class Project:
    """A 2022 project or programme the city set out to do."""

    key: str
    title: Text
    body: Text
    year: int
    status: Text  # e.g. "xúc tiến đầu tư" / "investment promotion"
    source_key: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class Statement:
    """A paragraph of context for "About the programme": mandate, theme, challenges, directions."""

    key: str
    category: str  # one of STATEMENT_CATEGORIES; other values are shown as "other"
    text: Text
    source_key: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class PlaylistEntry:
    """One slide of the attract loop."""

    key: str
    position: int
    kind: str  # one of SLIDE_KINDS
    ref: str
    duration_s: float  # MIN_DURATION_S to MAX_DURATION_S
    enabled: bool = True
    show_from: dt.date | None = None
    show_until: dt.date | None = None
    title: Text = EMPTY_TEXT  # optional heading; the slide picks a default from its data


@dataclass(frozen=True, slots=True)
class Content:
    """Everything the kiosk shows, loaded at once from one consistent DB snapshot."""

    sources: tuple[Source, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    achievements: tuple[Achievement, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    quotes: tuple[Quote, ...] = ()
    projects: tuple[Project, ...] = ()
    statements: tuple[Statement, ...] = ()
    playlist: tuple[PlaylistEntry, ...] = ()
    categories: tuple[Category, ...] = ()
    version: str = ""  # an opaque stamp of the snapshot, for logs
    base_dir: str = ""  # folder relative image paths are resolved against
    # The content DB, where ``db:`` milestone images are read from (not part of equality:
    # the same content read from a copy is the same content).
    db_path: str = field(default="", compare=False)
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def shows_nothing(self) -> bool:
        """True when a visitor could be shown nothing at all (no slides, no explore page):
        the kiosk then stays on its holding screen."""
        return not any(
            (
                self.playlist,
                self.milestones,
                self.indicators,
                self.achievements,
                self.statements,
                self.projects,
                self.quotes,
            )
        )

    def source(self, key: str) -> Source | None:
        return self._lookup("sources", key)

    def indicator(self, key: str) -> Indicator | None:
        return self._lookup("indicators", key)

    def quote(self, key: str) -> Quote | None:
        return self._lookup("quotes", key)

    def category(self, key: str) -> Category | None:
        return self._lookup("categories", key)

    def indicators_in_group(self, group_key: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.group_key == group_key)

    def _lookup(self, table: str, key: str):
        # Built lazily once per snapshot; the dataclass is frozen, the cache dict is not.
        by_key = self._index.get(table)
        if by_key is None:
            by_key = {row.key: row for row in getattr(self, table)}
            self._index[table] = by_key
        return by_key.get(key)
