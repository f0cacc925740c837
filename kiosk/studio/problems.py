"""Validation problems in staff words: the field's label, then what to do, in both languages.

The rule and its message come from ``kiosk.store.validate``; this module only swaps the
column name for the field's label and picks the Vietnamese text when the store gives one.
"""

from __future__ import annotations

from kiosk.store.validate import Problem
from kiosk.studio import fields as F


def _message(p: Problem, lang: str) -> str:
    # The store's Problem may carry its own Vietnamese text (message_vi); else English.
    if lang == "vi":
        return getattr(p, "message_vi", None) or p.message
    return getattr(p, "message_en", None) or p.message


def problem_text(p: Problem) -> tuple[str, str]:
    """(vi, en) e.g. ("Ngày: must be a date …", "Date: must be a date …")."""
    vi, en = F.label(p.table, p.field) if p.table in F.KINDS else (p.field, p.field)
    return f"{vi}: {_message(p, 'vi')}", f"{en}: {_message(p, 'en')}"


def by_field(problems, fields) -> dict[str, list[tuple[str, tuple[str, str]]]]:
    """column -> [(level, (vi, en))]; problems for a column without a field go under ''."""
    known = {f.column for f in fields}
    out: dict[str, list] = {}
    for p in problems:
        vi, en = _message(p, "vi"), _message(p, "en")
        column = p.field if p.field in known else ""
        if column == "":
            vi, en = problem_text(p)
        out.setdefault(column, []).append((p.level, (vi, en)))
    return out


def where(p: Problem) -> tuple[str, str]:
    """The page name and the row key, for lists of problems across the draft."""
    return F.KINDS.get(p.table, (p.table, p.table)), p.key
