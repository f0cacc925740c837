"""Content rules checked before content goes live (build, import, ContentSource.poll).

Text limits (characters, per language), chosen for what a 1080p slide can show:
titles/labels/names <= 120, bodies/statements <= 600, quotes <= 700. Text with HTML or Qt
rich-text markup (``<b>``, ``&lt;``) is a WARNING: the UI always draws plain text, so the tags
would show literally. Dates must be ISO and within 2000-2100; durations 3-600 s.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.colors import HEX_COLOR
from kiosk.content.model import SLIDE_KINDS

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


@dataclass(frozen=True)
class Problem:
    """One finding. ``str()`` is one line: level, table, row key, field, what to do."""

    level: str  # "error" or "warning"
    table: str
    key: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.table} [{self.key}] {self.field}: {self.message}"


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


def check_rows(rows: dict[str, list[dict]], base_dir: Path) -> list[Problem]:
    """Every rule over the rows of all tables; returns problems, errors first."""
    out: list[Problem] = []

    def bad(table, row, fld, msg, level="error"):
        out.append(Problem(level, table, str(row.get("key", "?")), fld, msg))

    source_keys = {r["key"] for r in rows["sources"]}
    for table, table_rows in rows.items():
        for row in table_rows:
            if (
                table not in ("sources", "playlist", "categories")
                and row.get("source_key") not in source_keys
            ):
                bad(
                    table,
                    row,
                    "source_key",
                    f"unknown source '{row.get('source_key')}'; use a key from sources",
                )
            for name in REQUIRED[table]:
                for lang in ("vi", "en"):
                    if not str(row.get(f"{name}_{lang}") or "").strip():
                        bad(table, row, f"{name}_{lang}", "is empty; fill it in")
            if table == "quotes" and not str(row.get("speaker") or "").strip():
                bad(table, row, "speaker", "is empty; fill it in")
            for col, value in row.items():
                if not isinstance(value, str):
                    continue
                base = col.rsplit("_", 1)[0] if col.endswith(("_vi", "_en")) else col
                limit = LIMITS.get(base)
                if limit and len(value) > limit:
                    bad(
                        table,
                        row,
                        col,
                        f"is {len(value)} characters, the screen shows at most {limit}; shorten it",
                    )
                if MARKUP.search(value):
                    bad(
                        table,
                        row,
                        col,
                        "contains HTML/markup, which is shown as plain text; remove the tags",
                        "warning",
                    )
    for row in rows["indicators"]:
        v = _num(row["value"])
        if v is None:
            bad("indicators", row, "value", "is not a finite number; enter a number")
        elif v < 0:
            bad("indicators", row, "value", "is negative; enter a value >= 0")
        elif row["kind"] == "percent" and v > 100:
            bad("indicators", row, "value", "is a percentage above 100; enter 0-100")
        if row["kind"] not in ("count", "percent", "ratio"):
            bad("indicators", row, "kind", "must be count, percent or ratio")
        if row["qualifier"] not in ("", "approx", "over"):
            bad("indicators", row, "qualifier", "must be empty, approx or over")
    for table in ("achievements", "projects"):
        for row in rows[table]:
            if not (2000 <= int(_num(row["year"]) or 0) <= 2100):
                bad(table, row, "year", "must be a year within 2000-2100")
    for row in rows["achievements"]:
        if row["category"] not in ("ranking", "award", "recognition"):
            bad("achievements", row, "category", "must be ranking, award or recognition")
    for row in rows["milestones"]:
        d = _date_ok(row["date"])
        if d is None:
            bad("milestones", row, "date", "must be a date YYYY-MM-DD within 2000-2100")
        elif row["precision"] not in ("year", "month", "day"):
            bad("milestones", row, "precision", "must be year, month or day")
        elif (row["precision"] == "year" and (d.month, d.day) != (1, 1)) or (
            row["precision"] == "month" and d.day != 1
        ):
            bad(
                "milestones",
                row,
                "date",
                f"precision '{row['precision']}' needs the first "
                "day of the year/month; fix the date or the precision",
            )
        if row["image"] and not (base_dir / row["image"]).is_file():
            bad(
                "milestones",
                row,
                "image",
                f"file '{row['image']}' not found next to the DB; add it or clear the field",
            )
    for row in rows["quotes"]:
        if row["said_on"] and _date_ok(row["said_on"]) is None:
            bad("quotes", row, "said_on", "must be a date YYYY-MM-DD within 2000-2100 or empty")
    _check_playlist(rows, bad)
    _check_categories(rows, bad)
    _check_showing(rows, "milestones", bad)
    return sorted(out, key=lambda p: p.level != "error")


def _check_categories(rows, bad) -> None:
    """Each category has a #RRGGBB colour; each milestone names a category of the table."""
    known = set()
    for row in rows.get("categories", ()):
        key = str(row["key"]).strip().lower()
        if key in known:
            bad("categories", row, "key", f"'{key}' is listed twice (case does not count)")
        known.add(key)
        if not HEX_COLOR.fullmatch(str(row.get("color") or "").strip()):
            bad("categories", row, "color", "must be a colour like #F472B6")
    for row in rows["milestones"]:
        if str(row["category"] or "").strip().lower() not in known:
            names = ", ".join(sorted(known)) or "(none yet)"
            bad(
                "milestones",
                row,
                "category",
                f"unknown category '{row['category']}'; use one of {names} "
                "or add it to categories with both names and a colour",
            )


def _check_showing(rows, table, bad) -> None:
    """show_from / show_until: empty (always) or ISO dates, in order."""
    for row in rows[table]:
        start = end = None
        for fld in ("show_from", "show_until"):
            if row.get(fld):
                if (parsed := _date_ok(row[fld])) is None:
                    bad(table, row, fld, "must be a date YYYY-MM-DD within 2000-2100 or empty")
                elif fld == "show_from":
                    start = parsed
                else:
                    end = parsed
        if start and end and start > end:
            bad(table, row, "show_from", "is after show_until; swap or fix them")


def _check_playlist(rows, bad) -> None:
    ind = {r["key"]: r for r in rows["indicators"]}
    groups = {r["group_key"] for r in rows["indicators"] if r["group_key"]}
    ach_groups = {r["group_key"] for r in rows["achievements"] if r["group_key"]}
    quotes = {r["key"] for r in rows["quotes"]}
    awards = {r["key"] for r in rows["achievements"]}
    projects = {r["key"] for r in rows["projects"]}
    for row in rows["playlist"]:
        kind, ref = row["kind"], str(row["ref"] or "")
        refs = [r.strip() for r in ref.split(",") if r.strip()]
        if kind not in SLIDE_KINDS:
            bad(
                "playlist",
                row,
                "kind",
                f"unknown kind '{kind}'; use one of " + ", ".join(SLIDE_KINDS),
            )
        elif kind in ("kpi", "rings"):
            if not refs:
                bad("playlist", row, "ref", "needs indicator keys separated by commas")
            for r in refs:
                if r not in ind:
                    bad("playlist", row, "ref", f"unknown indicator '{r}'")
                elif kind == "rings" and ind[r]["kind"] != "percent":
                    bad("playlist", row, "ref", f"'{r}' is not a percentage; rings need percent")
        elif kind == "bars" and ref not in groups:
            bad("playlist", row, "ref", f"unknown indicator group '{ref}'")
        elif kind == "ranking" and ref and ref not in ach_groups:
            bad("playlist", row, "ref", f"unknown achievement group '{ref}'")
        elif kind == "quote" and ref not in quotes:
            bad("playlist", row, "ref", f"unknown quote '{ref}'")
        elif kind in ("awards", "projects"):
            known = awards if kind == "awards" else projects
            for r in refs:
                if r not in known:
                    bad("playlist", row, "ref", f"unknown {kind[:-1]} '{r}'")
        d = _num(row["duration_s"])
        if d is None or not 3 <= d <= 600:
            bad("playlist", row, "duration_s", "must be 3-600 seconds")
        start = end = None
        for fld in ("show_from", "show_until"):
            if row[fld]:
                if (parsed := _date_ok(row[fld])) is None:
                    bad("playlist", row, fld, "must be a date YYYY-MM-DD within 2000-2100")
                elif fld == "show_from":
                    start = parsed
                else:
                    end = parsed
        if start and end and start > end:
            bad("playlist", row, "show_from", "is after show_until; swap or fix them")
