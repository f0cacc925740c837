"""Read what staff give the kiosk: CSV as Excel writes it, Excel workbooks, JSON.

CSV: UTF-8 with or without a byte-order mark ("CSV UTF-8"), UTF-16 with tabs ("Unicode
text"), or Vietnamese Windows-1258 (plain "CSV" on a Vietnamese PC); comma, semicolon or tab
separated (the separator is the one that splits the header into known columns); CRLF or LF.
Anything else is refused naming what to save instead. Text is NFC-normalised; a cell that
is mojibake (UTF-8 read as another encoding and saved again) is a problem on its row.
XLSX: openpyxl read-only with cached formula values; a sheet named after a table is that
table, otherwise the file name says it. Row numbers are the ones Excel shows (header = 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from kiosk.store.conventions import PercentValue
from kiosk.store.errors import StoreError
from kiosk.store.layout import TABLE_ORDER, TABLES
from kiosk.store.staff_text import FILE_MESSAGES
from kiosk.store.validate import Problem, shown_value

MAX_FILE_MB = 20
SEPARATORS = (",", ";", "\t")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Tone marks Windows-1258 stores as separate combining characters.
_VI_BASES = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_VI_TONES = "\u0300\u0301\u0303\u0309\u0323"
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone) for base in _VI_BASES for tone in ("", *_VI_TONES)
) | frozenset("đĐ")
_DISTINCTIVE = frozenset("ăâêôơưđĂÂÊÔƠƯĐ") | {
    ch
    for ch in VIETNAMESE_LETTERS
    if any(t in unicodedata.normalize("NFD", ch) for t in "\u0309\u0323")
}


@dataclass
class Sheet:
    """One table's rows as read from a file, before any value is converted."""

    name: str  # what staff call the file: "indicators.csv", "content.xlsx: indicators"
    table: str
    columns: list[str]
    rows: list[tuple[int, dict]]  # (row number as Excel shows it, {column: raw cell})
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""
    separator: str = ""


class ImportRefused(StoreError):
    """An import refused as a whole (a file it cannot use, or a plan gone stale);
    ``problem`` has the bilingual text for the studio."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def refuse(name: str, code: str, **params) -> ImportRefused:
    """The refusal of file ``name`` with ``FILE_MESSAGES[code]`` (a ``table`` param names it)."""
    en, vi = FILE_MESSAGES[code]
    values = {k: shown_value(v, None) for k, v in params.items()}
    text, text_vi = en.format(**values), vi.format(**values)
    problem = Problem(
        "error",
        values.get("table", ""),
        "",
        "",
        f"{name}: {text}",
        "file",
        (("text", text), ("text_vi", text_vi)),
        name,
    )
    return ImportRefused(problem)


def table_for(name: str) -> str | None:
    """The table a file or sheet name names: 'indicators', 'indicators (2)', 'indicators-2026'."""
    stem = Path(name).stem.strip().lower()
    for table in sorted(TABLES, key=len, reverse=True):
        if stem == table or re.match(rf"{table}(?![a-z])", stem):
            return table
    return None


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or a one-line refusal naming what is wrong with it."""
    name = str(path)
    try:
        if path.is_dir():
            raise refuse(name, "is_folder")
        size = path.stat().st_size
        if size > MAX_FILE_MB * 1024 * 1024:
            raise refuse(name, "too_big", size=size // (1024 * 1024), limit=MAX_FILE_MB)
        return path.read_bytes()
    except FileNotFoundError:
        raise refuse(name, "not_found") from None
    except PermissionError:
        raise refuse(name, "permission") from None
    except OSError as error:
        raise refuse(name, "unreadable", error=error.strerror or error) from None


def read_source(source) -> list[Sheet]:
    """A Path or an upload ``(filename, bytes)`` -> its sheets (one, or one per table sheet)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name, data = path.name, read_bytes(path)
        shown = str(path)
    else:
        name, data = source
        name = Path(name).name
        shown = name
        if len(data) > MAX_FILE_MB * 1024 * 1024:
            raise refuse(name, "too_big", size=len(data) // (1024 * 1024), limit=MAX_FILE_MB)
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return [_read_csv(shown, name, data)]
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(shown, name, data)
    if suffix == ".json":
        return [_read_json(shown, name, data)]
    if suffix == ".xls":
        raise refuse(shown, "old_excel")
    raise refuse(shown, "file_type")


def _table_or_refuse(shown: str, name: str) -> str:
    table = table_for(name)
    if table is None:
        raise refuse(shown, "unknown_table", table=Path(name).stem, allowed=", ".join(TABLE_ORDER))
    return table


def decode(shown: str, data: bytes) -> tuple[str, str]:
    """Bytes -> (NFC text, encoding name), or a refusal naming what to save instead."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = [("utf-8-sig", "UTF-8")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = [("utf-16", "UTF-16")]
    elif len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and 0 not in data[::2][:2]:
        encodings = [("utf-16-le", "UTF-16")]
    elif len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        encodings = [("utf-16-be", "UTF-16")]
    else:
        encodings = [("utf-8", "UTF-8")]
    first_error = None
    for codec, label in encodings:
        try:
            return unicodedata.normalize("NFC", data.decode(codec)), label
        except UnicodeDecodeError as error:
            first_error = error
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    if encodings[0][1] == "UTF-8" and _looks_vietnamese(text):
        return text, "Windows-1258"
    raise refuse(shown, "encoding", position=first_error.start if first_error else 0)


def _looks_vietnamese(text: str) -> bool:
    """Every non-ASCII letter is a Vietnamese one, and some are only Vietnamese."""
    letters = {ch for ch in text if ord(ch) > 127 and ch.isalpha() or ch == "\ufffd"}
    marks = any(unicodedata.combining(ch) for ch in text)
    return (
        bool(letters)
        and letters <= VIETNAMESE_LETTERS
        and bool(letters & _DISTINCTIVE)
        and not marks
    )


def _read_csv(shown: str, name: str, data: bytes) -> Sheet:
    table = _table_or_refuse(shown, name)
    text, encoding = decode(shown, data)
    header_line = text.split("\n", 1)[0]
    known = {c for c, _ in TABLES[table]}

    def score(sep: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=sep), [])
        return sum(c.strip() in known for c in cells), len(cells)

    separator = max(SEPARATORS, key=score)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        raise refuse(shown, "bad_csv", table=table, line=reader.line_num, error=error) from None
    sheet = _sheet(shown, table, [(n, r) for n, r in enumerate(records, 1)])
    sheet.encoding, sheet.separator = encoding, separator
    return sheet


def _sheet(shown: str, table: str, numbered: list[tuple[int, list]]) -> Sheet:
    """Header + numbered records -> Sheet; blank rows skipped; column problems collected."""
    numbered = [(n, r) for n, r in numbered if any(_filled(c) for c in r)]
    allowed = ", ".join(c for c, _ in TABLES[table])
    if not numbered:
        raise refuse(shown, "no_header", table=table)
    header_row, header = numbered[0]
    columns = [str(c).strip() if c is not None else "" for c in header]
    if "key" not in columns:
        raise refuse(shown, "no_key_column", table=table, allowed=allowed)
    sheet = Sheet(shown, table, columns, [])
    known = {c for c, _ in TABLES[table]}
    for column in columns:
        if column and column not in known:
            sheet.problems.append(
                Problem.of(
                    "error",
                    table,
                    "",
                    "",
                    "unknown_column",
                    file=shown,
                    row=header_row,
                    value=column,
                    allowed=allowed,
                )
            )
    for number, record in numbered[1:]:
        row = {}
        for i, cell in enumerate(record):
            column = columns[i] if i < len(columns) else ""
            if column in known:
                row[column] = cell
            elif not column and _filled(cell):
                sheet.problems.append(
                    Problem.of(
                        "error",
                        table,
                        _key(record, columns),
                        "",
                        "extra_value",
                        file=shown,
                        row=number,
                    )
                )
                break
        sheet.rows.append((number, row))
    _check_text(sheet)
    return sheet


def _key(record, columns) -> str:
    i = columns.index("key")
    return str(record[i]).strip() if i < len(record) and record[i] is not None else ""


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def _check_text(sheet: Sheet) -> None:
    """Mojibake cells (ftfy recognises UTF-8 decoded the wrong way) and cells with control
    characters (invisible on screen, often the mark of a damaged file) become problems."""
    from ftfy.badness import is_bad

    for number, row in sheet.rows:
        for column, cell in row.items():
            if not isinstance(cell, str):
                continue
            if CONTROL.search(cell):
                code, shown = "control_chars", CONTROL.sub("?", cell)
            elif is_bad(cell):
                code, shown = "mojibake", cell
            else:
                continue
            key = str(row.get("key") or "")
            sheet.problems.append(
                Problem.of(
                    "error",
                    sheet.table,
                    key,
                    column,
                    code,
                    file=sheet.name,
                    row=number,
                    value=shown,
                )
            )


def _read_json(shown: str, name: str, data: bytes) -> Sheet:
    text, _encoding = decode(shown, data)
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise refuse(shown, "bad_json", line=error.lineno, error=error.msg) from None
    table = table_for(name)
    if isinstance(loaded, dict):
        table, rows = loaded.get("table", table), loaded.get("rows", [])
    else:
        rows = loaded
    if table not in TABLES:
        raise refuse(shown, "unknown_table", table=table, allowed=", ".join(TABLE_ORDER))
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise refuse(shown, "json_shape", table=table)
    columns = list(dict.fromkeys(c for r in rows for c in r)) or ["key"]
    if "key" not in columns:
        raise refuse(
            shown, "no_key_column", table=table, allowed=", ".join(c for c, _ in TABLES[table])
        )
    records = [(1, columns)] + [(n, [r.get(c) for c in columns]) for n, r in enumerate(rows, 2)]
    return _sheet(shown, table, records)


def _read_xlsx(shown: str, name: str, data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    # A damaged workbook fails inside zipfile, zlib, the XML parser or openpyxl, with many
    # exception types and often only while its rows are read: any of them means the file
    # cannot be read, which is one refusal. ImportRefused (ours) passes through.
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise refuse(shown, "bad_xlsx", error=type(error).__name__) from None
    try:
        named = [ws for ws in book.worksheets if table_for(ws.title) == ws.title.strip().lower()]
        if named:
            pairs = [(ws, table_for(ws.title)) for ws in named]
        else:
            pairs = [(book.worksheets[0], _table_or_refuse(shown, name))]
        sheets = []
        for ws, table in pairs:
            label = f"{shown}: {ws.title}" if named else shown
            # Read-only sheets yield every row from min_row on, blank ones as EmptyCells.
            first = ws.min_row or 1
            records = [(n, [_cell(c) for c in row]) for n, row in enumerate(ws.iter_rows(), first)]
            sheets.append(_sheet(label, table, records))
        return sheets
    except ImportRefused:
        raise
    except Exception as error:
        raise refuse(shown, "bad_xlsx", error=type(error).__name__) from None
    finally:
        book.close()


def _cell(cell):
    """A workbook cell's value as the sheet shows it: a percent-formatted 0.97 is 97."""
    value = getattr(cell, "value", None)
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        return PercentValue(Decimal(repr(value)) * 100)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value
