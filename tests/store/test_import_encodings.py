"""Defect 7: what Excel writes is read correctly, or refused naming what to do; never garbled."""

import codecs
import unicodedata

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.store import load_content

LABEL = "Đà Nẵng: thủ tục"
ROWS = [["key", "label_vi"], ["procedures", LABEL]]


def db_import(db, file):
    return CliRunner().invoke(cli, ["db", "import", "--db", str(db), str(file)])


def label(db):
    return load_content(db).indicator("procedures").label.vi


def cp1258(text: str) -> bytes:
    """Encode as Excel's "CSV" does on Vietnamese Windows: tone marks as combining bytes."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def as_text(sep, rows=ROWS):
    return "\r\n".join(sep.join(r) for r in rows) + "\r\n"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (codecs.BOM_UTF8 + as_text(",").encode("utf-8"), "CSV UTF-8 with BOM"),
        (as_text(";").encode("utf-8"), "semicolons"),
        (codecs.BOM_UTF16_LE + as_text("\t").encode("utf-16-le"), "Unicode text"),
        (cp1258(as_text(",")), "Windows-1258 (Vietnamese ANSI)"),
    ],
    ids=["utf8-bom", "semicolons", "utf16-tabs", "cp1258"],
)
def test_excel_files_are_read(built_db, tmp_path, data, what):
    f = tmp_path / "indicators.csv"
    f.write_bytes(data)
    result = db_import(built_db, f)
    assert result.exit_code == 0, (what, result.output)
    assert label(built_db) == LABEL


def test_garbled_text_is_refused_with_how_to_save(built_db, tmp_path):
    garbled = LABEL.encode("utf-8").decode("cp1252", errors="replace")
    f = tmp_path / "indicators.csv"
    f.write_bytes(codecs.BOM_UTF8 + as_text(",", [ROWS[0], ["procedures", garbled]]).encode())
    before = label(built_db)
    result = db_import(built_db, f)
    assert result.exit_code == 1
    assert "CSV UTF-8" in result.output and "garbled" in result.output
    assert label(built_db) == before


def test_export_has_a_bom_so_excel_reads_vietnamese(built_db, tmp_path):
    result = CliRunner().invoke(cli, ["db", "export", "--db", str(built_db), str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "indicators.csv").read_bytes().startswith(codecs.BOM_UTF8)


@pytest.mark.parametrize(
    ("written", "stored"), [("15/06/2023", "2023-06-15"), ("1/6/2023", "2023-06-01")]
)
def test_day_first_dates_are_read(built_db, tmp_path, written, stored):
    f = tmp_path / "milestones.csv"
    f.write_text(f"key,date,precision\nm_dti,{written},day\n", encoding="utf-8")
    result = db_import(built_db, f)
    assert result.exit_code == 0, result.output
    milestone = next(m for m in load_content(built_db).milestones if m.key == "m_dti")
    assert milestone.date.isoformat() == stored


def test_month_first_date_is_refused_showing_the_value(built_db, tmp_path):
    f = tmp_path / "milestones.csv"
    f.write_text("key,date,precision\nm_dti,06/15/2023,day\n", encoding="utf-8")
    result = db_import(built_db, f)
    assert result.exit_code == 1 and "'06/15/2023'" in result.output


def test_unknown_bytes_are_refused_naming_the_encoding(built_db, tmp_path):
    f = tmp_path / "indicators.csv"
    f.write_bytes("key,label_vi\nprocedures,Straße ½ ¾\n".encode("cp1252"))
    result = db_import(built_db, f)
    assert result.exit_code == 1 and "UTF-8" in result.output
