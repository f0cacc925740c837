"""Importing staff files, step one: the plan (read and check; writes nothing).

``plan_import`` reads the file(s), converts each cell by the number and date conventions,
merges the rows into the current content in memory and runs every content rule; the plan
lists what would be added, changed and (with ``replace``) deleted, and every problem with
the file row it comes from. Only problems the import introduces block it; a rule an
untouched row already broke is the DB's state before the import, not this file's fault.
Step two, writing a plan, is ``applying.apply_import``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.store.conventions import (
    BOOLEAN_COLUMNS,
    DATE_COLUMNS,
    CellError,
    parse_styles,
    read_boolean,
    read_date,
    read_number,
)
from kiosk.store.errors import StoreError, explain, newer_version_message
from kiosk.store.layout import CREATE_ARGS, SCHEMA_VERSION, TABLE_ORDER, schema_version
from kiosk.store.reader import open_ro, read_rows
from kiosk.store.spreadsheet import Sheet, read_source, refuse
from kiosk.store.validate import Problem, check_rows

SOURCE_SUFFIXES = (".csv", ".xlsx", ".json")


@dataclass
class TableChanges:
    """What one file (or sheet) would do to one table."""

    table: str
    source: str
    added: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    rows: dict[str, dict] = field(default_factory=dict)  # key -> full row after the import

    def summary(self) -> str:
        if not self.rows:
            return f"deleted {len(self.deleted)} row(s) from {self.table}: " + ", ".join(
                self.deleted
            )
        return (
            f"imported {len(self.rows)} row(s) into {self.table} from {Path(self.source).name} "
            f"({len(self.added)} new, {len(self.changed)} changed, {len(self.deleted)} deleted)"
        )


@dataclass
class ImportPlan:
    """The outcome of checking an import; ``apply_import`` writes it.

    ``table``/``added``/``changed``/``deleted`` describe the only table of a one-file
    import; an import of several files or sheets lists one ``TableChanges`` per table in
    ``parts`` (and those four then join the parts' names and keys).
    """

    db_path: Path
    parts: list[TableChanges]
    problems: list[Problem]
    replace: bool
    fingerprint: str

    @property
    def table(self) -> str:
        return ", ".join(p.table for p in self.parts)

    @property
    def added(self) -> list[str]:
        return [k for p in self.parts for k in p.added]

    @property
    def changed(self) -> dict[str, dict[str, tuple]]:
        return {k: v for p in self.parts for k, v in p.changed.items()}

    @property
    def deleted(self) -> list[str]:
        return [k for p in self.parts for k in p.deleted]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def token(self) -> str:
        """Names this exact change to this exact content. A web page that shows a plan and
        applies it on a second request re-plans the same upload then and passes the token
        it showed to ``apply_import``, which refuses if anything differs."""
        changes = [(p.table, p.added, p.changed, p.deleted) for p in self.parts]
        data = json.dumps([self.fingerprint, changes], sort_keys=True, default=str)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]

    def summary(self) -> str:
        """One line: what the import does, per table."""
        return "; ".join(part.summary() for part in self.parts)


def fingerprint(rows: dict[str, list[dict]]) -> str:
    """A digest of every content row: equal digests mean the same content."""
    data = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def current_rows(path: Path) -> dict[str, list[dict]]:
    """The DB's content rows ({} tables when there is no DB yet); read-only."""
    if not path.exists():
        return {t: [] for t in TABLE_ORDER}
    conn = open_ro(path)
    try:
        version = schema_version(conn)
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: " + newer_version_message(version))
        if version == 0:
            return {t: [] for t in TABLE_ORDER}
        return read_rows(conn)
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()


def collect_sources(source) -> list:
    """A folder -> its .csv/.xlsx/.json files in table order; a list stays; one becomes [one]."""
    if isinstance(source, (list, tuple)) and not (
        len(source) == 2 and isinstance(source[1], (bytes, bytearray))
    ):
        return list(source)
    if isinstance(source, (str, Path)) and _is_folder(Path(source)):
        files = [p for p in Path(source).iterdir() if p.suffix.lower() in SOURCE_SUFFIXES]
        if not files:
            raise refuse(str(source), "file_type")
        order = {t: i for i, t in enumerate(TABLE_ORDER)}
        return sorted(files, key=lambda p: (order.get(p.stem, 99), p.name))
    return [source]


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # not allowed to look: reading it as a file then says so in one line
        return False


def plan_import(db_path, source, *, replace: bool = False, numbers=None) -> ImportPlan:
    """Check an import without writing anything.

    ``source``: a Path (file or folder of an export), an upload ``(filename, bytes)``, or a
    list of those. ``replace``: rows of the imported tables that the file does not list
    are to be deleted. ``numbers``: the number style, "vi" (1.890,5) or "en" (1,890.5),
    for the whole file, or per column ({"value": "vi"} or ["value=vi"]); None reads only
    numbers that cannot be misread. Whole-file problems raise ``ImportRefused``.
    """
    path = Path(db_path)
    styles = parse_styles(numbers)
    sheets: list[Sheet] = []
    for item in collect_sources(source):
        sheets.extend(read_source(item))
    seen_tables: dict[str, str] = {}
    for sheet in sheets:
        if sheet.table in seen_tables:
            raise refuse(
                sheet.name, "same_table", table=sheet.table, other=seen_tables[sheet.table]
            )
        seen_tables[sheet.table] = sheet.name
    before = current_rows(path)
    merged = {t: {r["key"]: dict(r) for r in rows} for t, rows in before.items()}
    problems: list[Problem] = []
    parts, row_of = [], {}
    for sheet in sheets:
        problems.extend(sheet.problems)
        part = _merge(sheet, merged[sheet.table], styles, problems, row_of, replace)
        parts.append(part)
    after = {t: list(rows.values()) for t, rows in merged.items()}
    unreadable = {(p.table, p.key, p.field) for p in problems}
    for problem in new_problems(before, after, path.resolve().parent, row_of):
        if (problem.table, problem.key, problem.field) in unreadable:
            continue  # the cell could not be read; its reading problem says why
        at = row_of.get((problem.table, problem.key))
        problems.append(_at_row(problem, *at) if at else problem)
    problems.sort(key=lambda p: (p.level != "error", p.file, p.row or 0))
    return ImportPlan(path, parts, problems, replace, fingerprint(before))


def new_problems(before, after, base_dir: Path, touched) -> list[Problem]:
    """The content problems of ``after`` that the change brought: on a row it touched, or
    not there before. A rule an untouched row already broke does not block a change."""
    old = {_identity(p) for p in check_rows(before, base_dir)}  # check_rows only reads
    return [
        p
        for p in check_rows(after, base_dir)
        if _identity(p) not in old or (p.table, p.key) in touched
    ]


def _identity(problem: Problem) -> tuple:
    return (problem.table, problem.key, problem.field, problem.message)


def _at_row(problem: Problem, file: str, row: int) -> Problem:
    return dataclasses.replace(problem, file=file, row=row)


def _merge(sheet, table_rows, styles, problems, row_of, replace) -> TableChanges:
    """Apply one sheet's rows to ``table_rows`` (key -> row) in memory; record the changes."""
    table = sheet.table
    part = TableChanges(table, sheet.name)
    first_row: dict[str, int] = {}
    original_keys = list(table_rows)
    for number, raw in sheet.rows:
        key = _key_text(raw.get("key"))
        if not key:
            problems.append(
                Problem.of("error", table, "", "key", "missing_key", file=sheet.name, row=number)
            )
            continue
        if key in first_row:
            problems.append(
                Problem.of(
                    "error",
                    table,
                    key,
                    "key",
                    "duplicate_key",
                    file=sheet.name,
                    row=number,
                    value=key,
                    other_row=first_row[key],
                )
            )
            continue
        first_row[key] = number
        row_of[(table, key)] = (sheet.name, number)
        existing = table_rows.get(key)
        new = dict(existing) if existing else _defaults(table)
        kind = _key_text(raw.get("kind")) if "kind" in raw else new.get("kind", "")
        for column, cell in raw.items():
            if column == "key":
                continue
            try:
                new[column] = convert(table, column, cell, kind, styles)
            except CellError as error:
                problems.append(
                    Problem.of(
                        "error",
                        table,
                        key,
                        column,
                        error.code,
                        file=sheet.name,
                        row=number,
                        **error.params,
                    )
                )
        new["key"] = key
        if existing is None:
            part.added.append(key)
        else:
            diff = {c: (existing[c], new[c]) for c in new if not _same(existing[c], new[c])}
            if diff:
                part.changed[key] = diff
        table_rows[key] = new
        part.rows[key] = new
    if replace:
        for key in original_keys:
            if key not in first_row:
                part.deleted.append(key)
                del table_rows[key]
    return part


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def _text(cell) -> str:
    """A cell of a text column as text; a date Excel made of the text is refused."""
    if cell is None:
        return ""
    if isinstance(cell, (dict, list)):
        raise CellError("not_text", value=json.dumps(cell, ensure_ascii=False))
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.date, dt.time)):
        raise CellError(
            "excel_date_in_text",
            value=cell.isoformat(sep=" ") if isinstance(cell, dt.datetime) else cell.isoformat(),
        )
    return str(cell).strip()


def _key_text(cell) -> str:
    try:
        return _text(cell)
    except CellError:
        return str(cell)


def _defaults(table: str) -> dict:
    """A new row's values for the columns the file leaves out (the schema's defaults; ''
    for required text without one, such as source_key, so validation names it)."""
    args = CREATE_ARGS[table]
    return {
        column: args["defaults"].get(column, "" if column in args["not_null"] else None)
        for column in args["columns"]
    }


def convert(table: str, column: str, cell, kind: str, styles: dict[str, str]):
    """One cell -> the value stored, by the column's type and the declared conventions."""
    python_type = CREATE_ARGS[table]["columns"][column]
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return "" if python_type is str else CREATE_ARGS[table]["defaults"].get(column)
    if column in DATE_COLUMNS:
        return read_date(cell)
    if column in BOOLEAN_COLUMNS:
        return read_boolean(cell)
    style = styles.get(column) or styles.get("*")
    if python_type is int:
        return read_number(cell, style=style, whole=True)
    if python_type is float:
        percent = table == "indicators" and column == "value" and kind == "percent"
        return read_number(cell, style=style, percent=percent)
    return _text(cell)
