"""The UI string table and the code agree: no key used but missing, none present but unused.

The scan reads the source of ``kiosk/`` with ``ast`` (not regular expressions), so it sees a
key however the call is written: ``t("key", lang)``, ``tr("key", lang)``, ``i18n.t(...)``,
a key chosen by a conditional expression, or a key first put in a variable. Keys built at run
time from data (``f"category.{category}"``) cannot be seen; each such family is listed in
``DYNAMIC_FAMILIES`` below, and a new f-string family that is not listed fails the test.
"""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk.content.i18n import STRINGS

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
I18N = KIOSK / "content" / "i18n.py"

# Families of keys built in f-strings from data, and which keys each reaches. Explicit on
# purpose: the scan cannot know which values the data holds, so each entry says it here.
DYNAMIC_FAMILIES: dict[str, set[str]] = {
    # i18n.category_name: every milestone category of the content (and the fallback).
    "category.": {k for k in STRINGS if k.startswith("category.")},
    # i18n.statement_name and the studio's choice names: the model's statement categories.
    "statement.": {k for k in STRINGS if k.startswith("statement.")},
    # i18n.achievement_kind and the studio's choice names: the model's achievement kinds.
    "achievement.": {"achievement.ranking", "achievement.award", "achievement.recognition"},
    # i18n.format_date: one key per date precision.
    "date.": {"date.year", "date.month", "date.day"},
    # explore home: one tile and one hint per topic.
    "tile.": {k for k in STRINGS if k.startswith("tile.")},
    # playlist.heading_of: the default heading of each slide kind that has one.
    "slide.": {k for k in STRINGS if k.startswith("slide.")},
    # numbers.qualifier_word: the model's qualifiers ("" has no word).
    "qualifier.": {"qualifier.approx", "qualifier.over"},
    # the explore language toggle: one short code per language.
    "lang.": {"lang.vi", "lang.en"},
    # explore award pages: the footer of a page of cards, per achievement kind.
    "count.": {k for k in STRINGS if k.startswith("count.")},
}

# Modules whose own function ``t`` is not the kiosk's table (the studio's message table).
OTHER_TABLES = {KIOSK / "studio" / "messages.py"}
LOOKUPS = {("kiosk.content.i18n", "t"), ("kiosk.content.i18n", "has")}
LOOKUPS |= {("kiosk.ui.explore.strings", "tr"), ("kiosk.ui.explore.strings", "has")}


def _sources() -> list[Path]:
    return sorted(p for p in KIOSK.rglob("*.py") if p not in OTHER_TABLES)


def _lookup_names(tree: ast.Module, path: Path) -> tuple[set[str], set[str]]:
    """Local names of the lookup functions, and local names of the i18n module itself."""
    functions, modules = set(), set()
    if path == I18N:
        functions |= {"t", "has"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if (node.module, alias.name) in LOOKUPS:
                    functions.add(alias.asname or alias.name)
                if f"{node.module}.{alias.name}" == "kiosk.content.i18n":
                    modules.add(alias.asname or alias.name)
    return functions, modules


def _literals(node: ast.AST) -> list[str]:
    """The string constants a key argument can be: "a", ("a" if c else "b"), nested."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def _scan() -> tuple[dict[str, list[str]], set[str], dict[str, list[str]]]:
    """(keys passed to a lookup -> where, every other string constant, f-string prefixes)."""
    looked_up: dict[str, list[str]] = {}
    constants: set[str] = set()
    families: dict[str, list[str]] = {}
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        functions, modules = _lookup_names(tree, path)
        where = path.relative_to(KIOSK.parent).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                f = node.func
                is_lookup = (isinstance(f, ast.Name) and f.id in functions) or (
                    isinstance(f, ast.Attribute)
                    and f.attr in ("t", "has")
                    and isinstance(f.value, ast.Name)
                    and f.value.id in modules
                )
                if is_lookup:
                    for key in _literals(node.args[0]):
                        looked_up.setdefault(key, []).append(f"{where}:{node.lineno}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if path != I18N or node.value not in STRINGS:
                    constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                prefix = head.value if isinstance(head, ast.Constant) else ""
                if prefix.endswith(".") and any(k.startswith(prefix) for k in STRINGS):
                    families.setdefault(head.value, []).append(f"{where}:{node.lineno}")
    return looked_up, constants, families


def test_every_key_looked_up_is_in_the_table():
    looked_up, _, _ = _scan()
    missing = {k: w for k, w in looked_up.items() if k not in STRINGS}
    assert not missing, f"UI strings used but not in kiosk/content/i18n.py: {missing}"


def test_every_key_in_the_table_is_used():
    looked_up, constants, families = _scan()
    used = set(looked_up) | (constants & set(STRINGS))
    for prefix in families:
        used |= DYNAMIC_FAMILIES.get(prefix, set())
    unused = sorted(set(STRINGS) - used)
    assert not unused, f"UI strings in kiosk/content/i18n.py that nothing shows: {unused}"


def test_every_key_built_at_run_time_belongs_to_a_listed_family():
    _, _, families = _scan()
    unlisted = {p: w for p, w in families.items() if p not in DYNAMIC_FAMILIES}
    assert not unlisted, f"keys built at run time; list each family in DYNAMIC_FAMILIES: {unlisted}"
    listed = {k for keys in DYNAMIC_FAMILIES.values() for k in keys}
    assert listed <= set(STRINGS), f"DYNAMIC_FAMILIES names missing keys: {listed - set(STRINGS)}"


def test_the_scan_sees_a_lookup_and_a_family():
    """The scan itself finds keys as the code writes them (else the tests above prove nothing)."""
    looked_up, constants, families = _scan()
    assert "timeline.hint" in looked_up and "timeline.hint.tap" in looked_up  # an IfExp
    assert "holding.unavailable" in looked_up  # t(...) in kiosk/ui/app.py
    assert "nav.home" in looked_up  # tr(...) in the explore screens
    assert "timeline.summary.one" in constants  # a key put in a variable first
    assert {"category.", "date.", "tile."} <= set(families)
