"""Content rules checked before content goes live (build, import, ContentSource.poll).

Text limits (characters, per language), chosen for what a 1080p slide can show:
titles/labels/names <= 120, bodies/statements <= 600, quotes <= 700. Text with HTML or Qt
rich-text markup (``<b>``, ``&lt;``) is a WARNING: the UI always draws plain text, so the tags
would show literally. Dates must be ISO and within 2000-2100; slide durations within the
model's MIN_DURATION_S..MAX_DURATION_S, the range the slideshow shows them for.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.content import model as m
from kiosk.content.colors import HEX_COLOR
from kiosk.content.model import (
    ACHIEVEMENT_CATEGORIES,
    DATE_PRECISIONS,
    EMPTY_TEXT,
    INDICATOR_KINDS,
    LANGS,
    MAX_DURATION_S,
    MIN_DURATION_S,
    QUALIFIERS,
    SLIDE_KINDS,
    nfc,
    split_lang,
)
from kiosk.content.playlist import ref_findings
from kiosk.store.layout import DB_IMAGE_PREFIX, WHOLE_COLUMNS, whole_number
from kiosk.store.staff_text import (
    LEVEL_WORDS,
    MESSAGES,
    REF_WHAT,
    WHERE_KEY,
    WHERE_ROW,
    field_label,
    lang_index,
    table_name,
)

TITLE_MAX, BODY_MAX, QUOTE_MAX = 120, 600, 700
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&[a-zA-Z]+;|&#\d+;")
# (table, field) -> limit; both-language fields listed by base name.
LIMITS = {
    "title": TITLE_MAX,
    "label": TITLE_MAX,
    "role": TITLE_MAX,
    "giver": TITLE_MAX,
    "unit": TITLE_MAX,
    "group_label": TITLE_MAX,
    "status": TITLE_MAX,
    "publisher": TITLE_MAX,
    "body": BODY_MAX,
    "explanation": BODY_MAX,
    "national_note": BODY_MAX,
    "note": BODY_MAX,
    "text": QUOTE_MAX,
}
REQUIRED = {
    "sources": ["title", "publisher"],
    "indicators": ["label", "unit"],
    "achievements": ["title"],
    "milestones": ["title", "body"],
    "quotes": ["role", "text"],
    "projects": ["title", "body", "status"],
    "statements": ["text"],
    "playlist": [],
    "categories": ["name"],
}

# (table, column) -> the values a cell may hold: the model's own tuples, never a copy.
# Milestone categories are not here: they are the rows of the categories table.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("indicators", "kind"): INDICATOR_KINDS,
    ("indicators", "qualifier"): QUALIFIERS,
    ("achievements", "category"): ACHIEVEMENT_CATEGORIES,
    ("milestones", "precision"): DATE_PRECISIONS,
    ("playlist", "kind"): SLIDE_KINDS,
}

SHOWN_MAX = 60


def shown_value(value, limit: int | None = SHOWN_MAX) -> str:
    """A value as a message quotes it: on one line, at most ``limit`` characters."""
    text = " ".join(str(value).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One finding. ``str()`` is one line: level, table, row key, field, what to do.

    ``text("vi")`` / ``text("en")`` say the same in staff words (field names as staff know
    them, see ``staff_text``). A problem found while reading a file also names the file and
    its row number (``file``, ``row``: the line in Excel, the header being row 1).
    """

    level: str  # "error" or "warning"
    table: str
    key: str
    field: str
    message: str
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()
    file: str = ""
    row: int | None = None

    @classmethod
    def of(cls, level, table, key, field, code, *, file="", row=None, **params) -> Problem:
        """A problem whose messages come from ``staff_text.MESSAGES[code]``."""
        # Only the cell's own value is shortened; names and lists of choices stay whole.
        values = {k: shown_value(v, SHOWN_MAX if k == "value" else None) for k, v in params.items()}
        message = MESSAGES[code][0].format(**values)
        return cls(level, table, str(key), field, message, code, tuple(values.items()), file, row)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def __str__(self) -> str:
        if self.row is not None:
            column = f"column '{self.field}' " if self.field else ""
            key = f" [{self.key}]" if self.key else ""
            return f"{self.level}: {self.file} row {self.row}{key}: {column}{self.message}"
        if not self.table:
            return f"{self.level}: {self.message}"
        return f"{self.level}: {self.table} [{self.key}] {self.field}: {self.message}"

    def message_in(self, lang: str) -> str:
        """Only what is wrong and what to do, in staff words (for a form, beside the field)."""
        params = dict(self.params)
        if "what" in params:
            params["what_vi"] = REF_WHAT.get(params["what"], (params["what"],))[0]
        template = MESSAGES.get(self.code)
        return template[1 + lang_index(lang)].format(**params) if template else self.message

    def text(self, lang: str) -> str:
        """The problem in staff words, in Vietnamese ("vi") or English ("en"), one line."""
        i = lang_index(lang)
        message = self.message_in(lang)
        if self.row is not None:
            where = WHERE_ROW[i].format(row=self.row, file=self.file)
        elif self.key:
            where = WHERE_KEY[i].format(table=table_name(self.table, lang), key=self.key)
        else:
            where = self.file or table_name(self.table, lang)
        label = f", {field_label(self.table, self.field, lang)}" if self.field else ""
        head = f"{where}{label}: " if where else ""
        return f"{LEVEL_WORDS[self.level][i]}: {head}{message}"


def _date_ok(text) -> dt.date | None:
    try:
        d = dt.date.fromisoformat(str(text))
    except ValueError:
        return None
    return d if 2000 <= d.year <= 2100 else None


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _whole(v) -> int | None:
    """The value as the reader reads a whole-number column, or None if it cannot."""
    try:
        return whole_number(v)
    except (TypeError, ValueError, OverflowError):
        return None


# Whole-number columns an empty cell is read as 0 (positions) or "none" (rank) in; years
# have their own rule (year_range), which covers an empty or broken year too.
_EMPTY_OK = {"position", "rank"}


def _check_whole_numbers(table, row, bad) -> None:
    """Positions, ranks and yes/no flags hold whole numbers, as the reader needs them."""
    for col in WHOLE_COLUMNS[table]:
        value = row.get(col)
        if col == "year" or (col in _EMPTY_OK and value in (None, "")):
            continue
        if _whole(value) is None:
            bad(table, row, col, "whole_number", value=shown_value(value))


def _choice(bad, table, row, fld, allowed) -> None:
    if row[fld] not in allowed:
        shown = ", ".join(a if a else "(empty)" for a in allowed)
        bad(table, row, fld, "choice", value=row[fld], allowed=shown)


def check_rows(
    rows: dict[str, list[dict]], base_dir: Path, images: set[str] | None = None
) -> list[Problem]:
    """Every rule over the rows of all tables; returns problems, errors first."""
    out: list[Problem] = []

    def bad(table, row, fld, code, level="error", **params):
        out.append(Problem.of(level, table, row.get("key", "?"), fld, code, **params))

    source_keys = {r["key"] for r in rows["sources"]}
    for table, table_rows in rows.items():
        for row in table_rows:
            no_source = ("sources", "playlist", "categories")
            if table not in no_source and row.get("source_key") not in source_keys:
                if row.get("source_key"):
                    bad(table, row, "source_key", "unknown_source", value=row["source_key"])
                else:
                    bad(table, row, "source_key", "empty")
            for name in REQUIRED[table]:
                for lang in LANGS:
                    if not str(row.get(f"{name}_{lang}") or "").strip():
                        bad(table, row, f"{name}_{lang}", "empty")
            if table == "quotes" and not str(row.get("speaker") or "").strip():
                bad(table, row, "speaker", "empty")
            _check_whole_numbers(table, row, bad)
            for col, value in row.items():
                if not isinstance(value, str):
                    continue
                base = split_lang(col)[0]
                limit = LIMITS.get(base)
                if limit and len(value) > limit:
                    bad(table, row, col, "too_long", length=len(value), limit=limit)
                if MARKUP.search(value):
                    bad(table, row, col, "markup", "warning")
    for row in rows["indicators"]:
        v = _num(row["value"])
        if v is None:
            bad("indicators", row, "value", "not_finite")
        elif v < 0:
            bad("indicators", row, "value", "negative")
        elif row["kind"] == "percent" and v > 100:
            bad("indicators", row, "value", "percent_over_100")
        elif row["kind"] == "count" and not v.is_integer():
            bad("indicators", row, "value", "count_whole", value=f"{v:g}")
        _choice(bad, "indicators", row, "kind", CHOICES["indicators", "kind"])
        _choice(bad, "indicators", row, "qualifier", CHOICES["indicators", "qualifier"])
    for table in ("achievements", "projects"):
        for row in rows[table]:
            if not 2000 <= (_whole(row["year"]) or 0) <= 2100:
                bad(table, row, "year", "year_range")
    for row in rows["achievements"]:
        _choice(bad, "achievements", row, "category", CHOICES["achievements", "category"])
    for row in rows["milestones"]:
        _check_milestone(row, base_dir, bad, images)
    for row in rows["quotes"]:
        if row["said_on"] and _date_ok(row["said_on"]) is None:
            bad("quotes", row, "said_on", "date_range_or_empty")
    _check_playlist(rows, bad)
    _check_categories(rows, bad)
    for row in rows["milestones"]:
        _check_showing("milestones", row, bad)
    if not any(rows.values()):
        out.append(Problem.of("warning", "", "", "", "empty_db"))
    return sorted(out, key=lambda p: p.level != "error")


def _check_milestone(row, base_dir, bad, images) -> None:
    d = _date_ok(row["date"])
    if d is None:
        bad("milestones", row, "date", "date_range")
    elif row["precision"] not in CHOICES["milestones", "precision"]:
        _choice(bad, "milestones", row, "precision", CHOICES["milestones", "precision"])
    elif (row["precision"] == "year" and (d.month, d.day) != (1, 1)) or (
        row["precision"] == "month" and d.day != 1
    ):
        bad("milestones", row, "date", "precision_first_day", value=row["precision"])
    image = row["image"]
    if image.startswith(DB_IMAGE_PREFIX):
        # Stored in the DB: checked when the caller read the DB's image names.
        if images is not None and image not in images:
            bad("milestones", row, "image", "image_missing", value=image)
    elif image and not (base_dir / image).is_file():
        bad("milestones", row, "image", "image_missing", value=image)


def _check_playlist(rows, bad) -> None:
    """Each slide: a known kind, a ref the kiosk can draw, a duration it shows as given.

    The ref is checked by the kiosk's own resolution (``playlist.ref_findings``) over the
    rows as the kiosk would read them, so the check and the screen cannot disagree.
    """
    content = _ref_content(rows)
    for row in rows["playlist"]:
        if row["kind"] not in CHOICES["playlist", "kind"]:
            _choice(bad, "playlist", row, "kind", CHOICES["playlist", "kind"])
        else:
            entry = m.PlaylistEntry(_key(row["key"]), 0, row["kind"], _key(row["ref"]), 0.0)
            for finding in ref_findings(entry, content):
                level = "warning" if finding.code == "slide_shows_nothing" else "error"
                params = {"what": finding.what} if finding.what else {}
                if finding.value or finding.code == "unknown_ref":
                    params["value"] = finding.value
                bad("playlist", row, "ref", finding.code, level, **params)
        d = _num(row["duration_s"])
        if d is None or not MIN_DURATION_S <= d <= MAX_DURATION_S:
            bad("playlist", row, "duration_s", "duration_range")
        _check_showing("playlist", row, bad)


def _key(value) -> str:
    """A key or ref as the kiosk reads it (``reader._s``): text, NFC."""
    return nfc("" if value is None else str(value))


def _ref_content(rows) -> m.Content:
    """What slide refs resolve against, from rows that may still hold bad values: only the
    keys, kinds, groups and categories resolution reads (bad numbers are reported elsewhere)."""
    blank = {"source_key": "", "title": EMPTY_TEXT, "body": EMPTY_TEXT}

    def common(r) -> dict:
        position = int(_num(r.get("position")) or 0)
        return {"key": _key(r["key"]), "group_key": _key(r.get("group_key")), "position": position}

    indicators = tuple(
        m.Indicator(
            **common(r),
            label=EMPTY_TEXT,
            value=0.0,
            unit=EMPTY_TEXT,
            kind=_key(r["kind"]),
            period="",
            source_key="",
        )
        for r in rows["indicators"]
    )
    achievements = tuple(
        m.Achievement(**common(r), **blank, giver=EMPTY_TEXT, year=0, category=_key(r["category"]))
        for r in rows["achievements"]
    )
    projects = tuple(
        m.Project(key=_key(r["key"]), **blank, year=0, status=EMPTY_TEXT) for r in rows["projects"]
    )
    quotes = tuple(
        m.Quote(key=_key(r["key"]), speaker="", role=EMPTY_TEXT, text=EMPTY_TEXT, source_key="")
        for r in rows["quotes"]
    )
    return m.Content(
        indicators=indicators, achievements=achievements, projects=projects, quotes=quotes
    )


def _check_showing(table, row, bad) -> None:
    """show_from / show_until (slides and milestones): empty (always) or dates, in order."""
    start = end = None
    for fld in ("show_from", "show_until"):
        if row.get(fld):
            if (parsed := _date_ok(row[fld])) is None:
                bad(table, row, fld, "date_range")
            elif fld == "show_from":
                start = parsed
            else:
                end = parsed
    if start and end and start > end:
        bad(table, row, "show_from", "from_after_until")


def _check_categories(rows, bad) -> None:
    """Each category once (case does not count) with a #RRGGBB colour; each milestone
    names a category of the table."""
    known: dict[str, None] = {}  # in the table's order, as staff arranged it
    ordered = sorted(rows.get("categories", ()), key=lambda r: _num(r.get("position")) or 0)
    for row in ordered:
        key = str(row["key"]).strip().lower()
        if key in known:
            bad("categories", row, "key", "category_twice", value=key)
        known[key] = None
        if not HEX_COLOR.fullmatch(str(row.get("color") or "").strip()):
            bad("categories", row, "color", "color_format", value=row.get("color") or "")
    allowed = ", ".join(known) or "-"
    for row in rows["milestones"]:
        if str(row["category"] or "").strip().lower() not in known:
            bad(
                "milestones",
                row,
                "category",
                "unknown_category",
                value=row["category"],
                allowed=allowed,
            )
