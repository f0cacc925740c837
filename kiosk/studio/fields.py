"""What staff see for each kind of content: page names, inputs and choices.

Field labels are the store's staff words (``kiosk.store.staff_text``), never column names.
The allowed values are the store's rule (the model's own tuples); milestone categories are
the content DB's categories table. Names reuse the kiosk's own (``kiosk.content.i18n``), so
the studio, the import messages and the screen call a thing the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content import i18n
from kiosk.content.model import ACHIEVEMENT_CATEGORIES, STATEMENT_CATEGORIES, split_lang
from kiosk.store.layout import TABLES
from kiosk.store.staff_text import field_label
from kiosk.store.validate import CHOICES as STORE_CHOICES

# The order of the pages in the menu.
KINDS: dict[str, tuple[str, str]] = {
    "milestones": ("Cột mốc", "Milestones"),
    "indicators": ("Chỉ số", "Indicators"),
    "achievements": ("Thành tích", "Achievements"),
    "projects": ("Dự án", "Projects"),
    "quotes": ("Trích dẫn", "Quotes"),
    "statements": ("Nhận định", "Statements"),
    "sources": ("Nguồn tin", "Sources"),
    "playlist": ("Trình chiếu", "Playlist"),
    "categories": ("Nhóm cột mốc", "Milestone categories"),
}

LONG_TEXT = {"body", "text", "explanation", "national_note", "note"}
DATES = {"date", "said_on", "show_from", "show_until", "published"}
CHECKBOXES = {"direct", "enabled"}


def _pair(key: str) -> tuple[str, str]:
    return (i18n.t(key, "vi"), i18n.t(key, "en"))


# What staff read for each allowed value; which values are allowed is the store's rule
# (``validate.CHOICES``, the model's own tuples), so a value added there without a name
# here fails at import time instead of missing from the form.
CHOICE_NAMES: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("indicators", "kind"): {
        "count": ("Số đếm", "Count"),
        "percent": ("Phần trăm (0-100)", "Percentage (0-100)"),
        "ratio": ("Tỉ lệ", "Ratio"),
    },
    ("indicators", "qualifier"): {
        "": ("Đúng như số", "Exactly"),
        "approx": ("Gần (khoảng)", "Nearly (about)"),
        "over": ("Hơn", "More than"),
    },
    ("achievements", "category"): {c: _pair(f"achievement.{c}") for c in ACHIEVEMENT_CATEGORIES},
    ("milestones", "precision"): {
        "year": ("Năm (ngày 01/01)", "Year (use 1 January)"),
        "month": ("Tháng (ngày 01)", "Month (use the 1st)"),
        "day": ("Ngày", "Day"),
    },
    ("playlist", "kind"): {
        "kpi": ("Các con số chính", "Key figures"),
        "rings": ("Vòng phần trăm", "Percentage rings"),
        "bars": ("Biểu đồ cột", "Bar chart"),
        "ranking": ("Bảng xếp hạng", "Ranking"),
        "awards": ("Giải thưởng", "Awards"),
        "quote": ("Trích dẫn", "Quote"),
        "projects": ("Dự án", "Projects"),
    },
}

# (table, column) -> ordered [(value, (vi, en))]. Milestone categories are the content
# DB's categories table and are passed to ``fields`` by the caller.
CHOICES: dict[tuple[str, str], list[tuple[str, tuple[str, str]]]] = {
    column: [(v, CHOICE_NAMES[column][v]) for v in allowed]
    for column, allowed in STORE_CHOICES.items()
}
CHOICES["statements", "category"] = [(c, _pair(f"statement.{c}")) for c in STATEMENT_CATEGORIES]
# [(key, (name_vi, name_en))], the content DB's milestone categories in their order.
Categories = list[tuple[str, tuple[str, str]]] | tuple


def categories_of(rows: list[dict]) -> Categories:
    """The categories table's rows as form choices, in the order staff arranged them."""
    ordered = sorted(rows, key=lambda r: (r.get("position") or 0, str(r["key"])))
    return [(str(r["key"]), (r["name_vi"], r["name_en"])) for r in ordered]


# Columns staff never type: positions are set with the order buttons, images by upload.
HIDDEN = {"position"}

# Columns shown in each list (besides the code).
LIST_COLUMNS = {
    "milestones": ["date", "title_vi", "category"],
    "indicators": ["label_vi", "value", "unit_vi"],
    "achievements": ["title_vi", "year", "category"],
    "projects": ["title_vi", "year", "status_vi"],
    "quotes": ["speaker", "text_vi"],
    "statements": ["category", "text_vi"],
    "sources": ["title_vi", "published"],
    "playlist": ["kind", "title_vi", "duration_s", "enabled", "show_from", "show_until"],
}
ORDERED = {"playlist"}  # lists with up/down buttons instead of a free position number


@dataclass(frozen=True)
class Field:
    column: str
    label: tuple[str, str]
    widget: str  # text, textarea, number, date, select, checkbox, image, refs
    choices: tuple = ()

    def label_in(self, lang: str) -> str:
        return self.label[0 if lang == "vi" else 1]


def label(table: str, column: str) -> tuple[str, str]:
    """The staff's name for a column (the store's wording), as (vi, en)."""
    return field_label(table, column, "vi"), field_label(table, column, "en")


def fields(
    table: str, sources: list[tuple[str, str]] = (), categories: Categories = ()
) -> list[Field]:
    """The edit form's fields for ``table``; ``sources`` = [(key, title)] for the source list,
    ``categories`` = [(key, (vi, en))] from the content DB's categories table."""
    out = []
    for column, kind in TABLES[table]:
        if column in HIDDEN and table in ORDERED:
            continue
        base = split_lang(column)[0]
        if column == "source_key":
            choices = tuple((k, (f"{k} – {t}", f"{k} – {t}")) for k, t in sources)
            out.append(Field(column, label(table, column), "select", choices))
        elif (table, column) == ("milestones", "category"):
            out.append(Field(column, label(table, column), "select", tuple(categories)))
        elif (table, column) in CHOICES:
            out.append(Field(column, label(table, column), "select", tuple(CHOICES[table, column])))
        elif (table, column) == ("playlist", "ref"):
            out.append(Field(column, label(table, column), "refs"))  # studio/ref_picker.py
        elif table == "milestones" and column == "image":
            out.append(Field(column, label(table, column), "image"))
        elif column in CHECKBOXES:
            out.append(Field(column, label(table, column), "checkbox"))
        elif column in DATES:
            out.append(Field(column, label(table, column), "date"))
        elif base in LONG_TEXT:
            out.append(Field(column, label(table, column), "textarea"))
        elif kind.split()[0] in ("INTEGER", "REAL") and column != "key":
            out.append(Field(column, label(table, column), "number"))
        else:
            out.append(Field(column, label(table, column), "text"))
    return out


def choice_label(table: str, column: str, value, lang: str, categories: Categories = ()) -> str:
    """A stored value as staff read it: the choice's name, yes/no, 12 rather than 12.0."""
    for v, names in (*CHOICES.get((table, column), ()), *categories):
        if v == value:
            return names[0 if lang == "vi" else 1]
    if (table, column) == ("milestones", "category") and value:
        return i18n.category_name(str(value), lang)
    if column in CHECKBOXES and value is not None:
        yes = str(value) in ("1", "True")
        return ("Có" if yes else "Không") if lang == "vi" else ("Yes" if yes else "No")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)
