"""Export the content for staff: CSV files Excel opens correctly, or one Excel workbook.

CSV files start with a UTF-8 byte-order mark: without it Excel on Windows reads them as
the PC's ANSI code page and shows Vietnamese garbled. Numbers are written plainly (1890,
8.23) so that reading them back needs no declared number style. The workbook has one sheet
per table, named after it, which ``plan_import`` reads back as one import.
"""

from __future__ import annotations

import csv
from pathlib import Path

from kiosk.store.errors import os_error
from kiosk.store.layout import TABLE_ORDER, TABLES
from kiosk.store.reader import open_ro, snapshot


def _content(db_path: Path) -> dict[str, list[dict]]:
    conn = open_ro(db_path)
    try:
        return snapshot(conn, db_path)
    finally:
        conn.close()


def plain(value) -> str:
    """A stored value as written in a file: 1890 not 1890.0, empty for NULL."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_dir(db_path, out_dir) -> list[Path]:
    """Write one CSV per table (UTF-8 with BOM), in the format ``plan_import`` reads back."""
    path, out_dir = Path(db_path), Path(out_dir)
    rows = _content(path)
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for table in TABLE_ORDER:
            dest = out_dir / f"{table}.csv"
            with dest.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                cols = [c for c, _ in TABLES[table]]
                writer.writerow(cols)
                for row in rows[table]:
                    writer.writerow([plain(row[c]) for c in cols])
            written.append(dest)
    except OSError as error:
        raise os_error(Path(error.filename or out_dir), error, "export not finished") from None
    return written


def export_xlsx(db_path, out_path) -> Path:
    """Write every table as a sheet of one Excel workbook; text cells stay text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path, out = Path(db_path), Path(out_path)
    rows = _content(path)
    book = Workbook(write_only=True)

    def cell(sheet, value):
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # text that starts with '=' stays text, not a formula
        return written

    for table in TABLE_ORDER:
        sheet = book.create_sheet(table)
        cols = [c for c, _ in TABLES[table]]
        sheet.append(cols)
        for row in rows[table]:
            sheet.append([cell(sheet, row[c]) for c in cols])
    try:
        book.save(out)
    except OSError as error:
        raise os_error(out, error, "export not finished") from None
    return out
