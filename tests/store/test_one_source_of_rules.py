"""The content rules live once, in kiosk.content.model: the validator and the studio use
the model's own objects, so a second copy that drifts cannot creep back."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

import kiosk
from kiosk.content import model
from kiosk.content.playlist import RefFinding, duration_of, resolve
from kiosk.store import validate
from kiosk.store.layout import TABLES
from kiosk.store.reader import read_rows, rows_to_content
from kiosk.studio import fields as studio_fields

MODEL_TUPLES = {
    ("indicators", "kind"): model.INDICATOR_KINDS,
    ("indicators", "qualifier"): model.QUALIFIERS,
    ("achievements", "category"): model.ACHIEVEMENT_CATEGORIES,
    ("milestones", "precision"): model.DATE_PRECISIONS,
    ("playlist", "kind"): model.SLIDE_KINDS,
}


def test_the_validators_allowed_values_are_the_models_objects():
    assert set(validate.CHOICES) == set(MODEL_TUPLES)
    for column, allowed in MODEL_TUPLES.items():
        assert validate.CHOICES[column] is allowed, column


def test_the_studio_offers_exactly_the_models_values_in_its_order():
    for column, allowed in MODEL_TUPLES.items():
        assert tuple(v for v, _ in studio_fields.CHOICES[column]) == allowed, column
    offered = tuple(v for v, _ in studio_fields.CHOICES["statements", "category"])
    assert offered == model.STATEMENT_CATEGORIES


def _row(table: str, **values) -> dict:
    return {column: "" for column, _ in TABLES[table]} | values


def test_a_value_the_validator_refuses_names_the_models_choices():
    rows = {t: [] for t in validate.REQUIRED}
    rows["sources"] = [_row("sources", key="s", title_vi="a", title_en="a")]
    rows["achievements"] = [_row("achievements", key="a1", year=2021, category="medal")]
    (problem,) = [p for p in validate.check_rows(rows, Path(".")) if p.field == "category"]
    assert dict(problem.params)["allowed"] == ", ".join(model.ACHIEVEMENT_CATEGORIES)


def _literal_string_tuples(path: Path) -> list[tuple[str, ...]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        strings = isinstance(node, ast.Tuple) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
        )
        if strings and len(node.elts) >= 2:
            found.append(tuple(e.value for e in node.elts))
    return found


def test_no_module_outside_the_model_spells_a_choice_list_again():
    choice_sets = [set(t) for t in MODEL_TUPLES.values()] + [set(model.STATEMENT_CATEGORIES)]
    root = Path(kiosk.__file__).parent
    for folder in ("store", "studio"):
        for path in (root / folder).rglob("*.py"):
            for literal in _literal_string_tuples(path):
                assert set(literal) not in choice_sets, f"{path.name} repeats {literal}"


def test_the_date_formatter_knows_the_models_precisions():
    from kiosk.content import i18n

    assert i18n.PRECISIONS is model.DATE_PRECISIONS


def _accepts_duration(seconds) -> bool:
    rows = {t: [] for t in validate.REQUIRED}
    rows["playlist"] = [_row("playlist", key="p", kind="projects", duration_s=seconds)]
    return not [p for p in validate.check_rows(rows, Path(".")) if p.field == "duration_s"]


def test_a_duration_the_validator_accepts_is_shown_for_exactly_that_long():
    low, high = model.MIN_DURATION_S, model.MAX_DURATION_S
    for seconds in (low - 0.5, low, low + 0.25, 12, 119, 121, high - 0.5, high, high + 1):
        entry = model.PlaylistEntry("p", 0, "projects", "", seconds)
        shown = duration_of(entry, default_s=12.0)
        assert _accepts_duration(seconds) == (low <= seconds <= high), seconds
        assert _accepts_duration(seconds) == (shown == seconds), seconds


def test_the_duration_message_says_the_range_the_screen_uses():
    low, high = f"{model.MIN_DURATION_S:g}", f"{model.MAX_DURATION_S:g}"
    for lang in ("vi", "en"):
        rows = {t: [] for t in validate.REQUIRED}
        rows["playlist"] = [_row("playlist", key="p", kind="projects", duration_s=9999)]
        (problem,) = [p for p in validate.check_rows(rows, Path(".")) if p.field == "duration_s"]
        assert low in problem.message_in(lang) and high in problem.message_in(lang)


@pytest.fixture(scope="module")
def seed_rows(seed_db_path):
    conn = sqlite3.connect(seed_db_path)
    conn.row_factory = sqlite3.Row
    try:
        return read_rows(conn)
    finally:
        conn.close()


def _ref_problems(rows, kind, ref) -> list[validate.Problem]:
    slide = _row("playlist", key="probe", kind=kind, ref=ref, duration_s=12, enabled=1)
    rows = dict(rows, playlist=[slide])
    problems = validate.check_rows(rows, Path("."), images=set())
    return [p for p in problems if p.table == "playlist" and p.field == "ref"]


def _refs(rows) -> list[str]:
    """Refs of every shape: empty, each key and group, pairs, unknown keys, mixtures."""
    keys = [r["key"] for t in ("indicators", "achievements", "projects", "quotes") for r in rows[t]]
    groups = {r["group_key"] for t in ("indicators", "achievements") for r in rows[t]}
    pairs = [f"{a},{b}" for a, b in zip(keys, keys[1:], strict=False)]
    return ["", "nope", f"{keys[0]},nope", *keys, *sorted(groups - {""}), *pairs]


def test_the_validator_and_the_screen_agree_on_every_ref(seed_rows):
    content = rows_to_content(seed_rows)
    checked = 0
    for kind in model.SLIDE_KINDS:
        for ref in _refs(seed_rows):
            shown = resolve(model.PlaylistEntry("probe", 0, kind, ref, 12.0), content)
            problems = _ref_problems(seed_rows, kind, ref)
            if not problems:
                assert shown is not None, (kind, ref, "accepted but never shown")
            if shown is None:
                assert problems, (kind, ref, "skipped on screen without a word to staff")
            checked += 1
    assert checked > 100


def test_refs_the_screen_draws_but_the_old_check_refused_now_pass(seed_rows):
    phones = [r["key"] for r in seed_rows["indicators"] if r["group_key"] == "phones"]
    assert _ref_problems(seed_rows, "bars", ",".join(phones[:2])) == []


def test_a_slide_the_screen_skips_is_reported(seed_rows):
    one = seed_rows["indicators"][0]["key"]
    (problem,) = _ref_problems(seed_rows, "bars", one)  # a comparison needs two bars
    assert problem.code == "slide_shows_nothing" and not problem.is_error
    assert "bỏ qua" in problem.text("vi") and "skips" in problem.text("en")


def test_the_validator_reports_what_the_content_layer_finds(seed_rows, monkeypatch):
    finding = RefFinding("unknown_ref", "quote", "from-the-content-layer")
    monkeypatch.setattr(validate, "ref_findings", lambda entry, content: (finding,))
    (problem,) = _ref_problems(seed_rows, "quote", "q_thach")
    assert dict(problem.params)["value"] == "from-the-content-layer"


WHOLE_CELLS = [12, 12.0, "12", " 12 ", 12.5, "", " ", "x", float("inf"), float("nan"), None]


@pytest.mark.parametrize("value", WHOLE_CELLS, ids=repr)
def test_the_validator_and_the_reader_agree_on_every_whole_number_cell(seed_rows, value):
    # A file the validator passes must be one the kiosk can read: otherwise it is taken as
    # good, kept as the last good copy, and then cannot be shown.
    from kiosk.store.layout import WHOLE_COLUMNS

    for table, columns in WHOLE_COLUMNS.items():
        for column in columns:
            if not seed_rows[table]:
                continue
            first = dict(seed_rows[table][0], **{column: value})
            rows = dict(seed_rows, **{table: [first, *seed_rows[table][1:]]})
            refused = [
                p
                for p in validate.check_rows(rows, Path("."), images=None)
                if p.level == "error" and p.table == table and p.field == column
            ]
            try:
                rows_to_content(rows)
                read = True
            except (ValueError, TypeError, OverflowError):
                read = False
            assert read or refused, (table, column, value)  # passed, then unreadable
            if column != "year":  # years have their own, narrower range
                assert not (read and refused), (table, column, value, refused)
