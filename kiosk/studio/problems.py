"""Validation problems as the studio shows them: beside their field, or as one line.

The rule, its message and the field names come from the store (``kiosk.store.validate``
and ``staff_text``); the studio only chooses where to show them.
"""

from __future__ import annotations

from kiosk.store.validate import Problem


def problem_text(p: Problem) -> tuple[str, str]:
    """(vi, en) one-line texts naming the item and the field."""
    return p.text("vi"), p.text("en")


def by_field(problems, fields) -> dict[str, list[tuple[str, tuple[str, str]]]]:
    """column -> [(level, (vi, en))]; problems for a column without a field go under ''."""
    known = {f.column for f in fields}
    out: dict[str, list] = {}
    for p in problems:
        if p.field in known:
            out.setdefault(p.field, []).append((p.level, (p.message_in("vi"), p.message_in("en"))))
        else:
            out.setdefault("", []).append((p.level, problem_text(p)))
    return out


def studio_problem(table: str, key: str, field: str, text: tuple[str, str]) -> Problem:
    """A problem found by the studio itself (an upload), worded by the studio's messages."""
    return Problem.of("error", table, key, field, "file", text=text[1], text_vi=text[0])
