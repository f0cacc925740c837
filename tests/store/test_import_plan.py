"""The import API the studio builds on: plan (writes nothing), then apply."""

import codecs
import sqlite3

import pytest

from kiosk.store import (
    ImportRefused,
    StoreError,
    apply_import,
    export_xlsx,
    load_content,
    plan_import,
)
from kiosk.store.layout import TABLES
from kiosk.store.staff_text import FIELD_LABELS, MESSAGES, TABLE_NAMES


def test_plan_of_an_upload_lists_changes_and_writes_nothing(dump, built_db):
    before = dump(built_db)
    data = codecs.BOM_UTF8 + "key;value;label_vi\r\nprocedures;1890;Thủ tục mới\r\n".encode()
    data += "new_one;5;Mới\r\n".encode()
    plan = plan_import(built_db, ("indicators (2).csv", data))
    assert plan.table == "indicators"
    assert plan.added == ["new_one"]
    assert list(plan.changed) == ["procedures"]
    assert plan.changed["procedures"]["label_vi"][1] == "Thủ tục mới"
    assert "value" not in plan.changed["procedures"]  # 1890 == 1890.0: not a change
    assert plan.deleted == []
    # The new row lacks its label_en, unit, kind and source: errors on its file row.
    assert not plan.ok and {p.row for p in plan.errors} == {3}
    assert dump(built_db) == before
    with pytest.raises(StoreError, match="nothing changed"):
        apply_import(built_db, plan)
    assert dump(built_db) == before


def test_apply_refuses_a_plan_made_before_the_db_changed(built_db):
    plan = plan_import(built_db, ("indicators.csv", b"key,value\nprocedures,1900\n"))
    assert plan.ok
    other = plan_import(built_db, ("indicators.csv", b"key,value\nphones,280\n"))
    apply_import(built_db, other)
    with pytest.raises(ImportRefused, match="changed since") as refused:
        apply_import(built_db, plan)
    assert "người khác thay đổi" in refused.value.problem.text("vi")
    assert load_content(built_db).indicator("procedures").value == 1890


def test_xlsx_export_reads_back_as_one_plan(built_db, tmp_path):
    conn = sqlite3.connect(built_db)
    conn.execute("UPDATE statements SET text_en = '=1+1 is not a formula' WHERE key = 's_mandate'")
    conn.commit()
    conn.close()
    out = export_xlsx(built_db, tmp_path / "content.xlsx")
    plan = plan_import(built_db, out)
    assert plan.ok, [str(p) for p in plan.problems]
    assert plan.added == [] and plan.changed == {}
    assert len(plan.parts) == len(TABLES)


def test_xlsx_percent_cells_and_numbers(built_db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["key", "value"])
    sheet.append(["online_level34", 0.97])
    sheet["B2"].number_format = "0%"
    sheet.append(["procedures", 1900])
    sheet.append(["phones", 2.76])
    sheet["B4"].number_format = "0%"  # a percentage format on a figure that is not one
    path = tmp_path / "indicators.xlsx"
    book.save(path)
    plan = plan_import(built_db, path)
    (problem,) = plan.problems
    assert (problem.row, problem.code) == (4, "percent_sign") and "'276%'" in str(problem)
    sheet["B4"].number_format = "General"
    book.save(path)
    plan = plan_import(built_db, path)
    assert plan.ok, [str(p) for p in plan.problems]
    apply_import(built_db, plan)
    content = load_content(built_db)
    assert content.indicator("online_level34").value == 97
    assert content.indicator("procedures").value == 1900
    assert content.indicator("phones").value == 2.76


def test_replace_plan_lists_deletions(built_db):
    plan = plan_import(built_db, ("statements.csv", b"key\ns_mandate\n"), replace=True)
    assert "s_mandate" not in plan.deleted and len(plan.deleted) == 9


def test_whole_file_refusal_carries_a_bilingual_problem(built_db):
    with pytest.raises(ImportRefused) as refused:
        plan_import(built_db, ("notes.csv", b"key\nx\n"))
    problem = refused.value.problem
    assert "notes.csv" in str(refused.value) and "unknown table" in str(refused.value)
    assert "tên tệp" in problem.text("vi") and "name the file" in problem.text("en")


def test_problem_text_in_staff_words(built_db):
    plan = plan_import(built_db, ("indicators.csv", b'key,value\nprocedures,"1.890"\n'))
    (problem,) = plan.problems
    assert str(problem).startswith("error: indicators.csv row 2 [procedures]: column 'value'")
    vi, en = problem.text("vi"), problem.text("en")
    assert vi.startswith("Lỗi: Dòng 2 của tệp indicators.csv, Giá trị:") and "«1.890»" in vi
    assert en.startswith("Error: Row 2 of indicators.csv, Figure:") and "'1.890'" in en
    with pytest.raises(ValueError):
        problem.text("fr")


def test_every_column_and_table_has_staff_labels():
    for table, columns in TABLES.items():
        assert table in TABLE_NAMES
        for column, _ in columns:
            base = column[:-3] if column.endswith(("_vi", "_en")) else column
            assert base in FIELD_LABELS, (table, column)


def test_every_message_has_three_forms_with_the_same_fields():
    import string

    for code, forms in MESSAGES.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in forms]
        assert len(forms) == 3 and all(forms), code
        # The staff wordings use only what the technical line has (plus derived names).
        assert fields[1] | fields[2] <= fields[0] | {"what_vi", "text_vi"}, code


def test_xlsx_blank_rows_dates_and_text_turned_into_dates(built_db, tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "milestones"
    sheet.append(["key", "date", "title_vi"])
    sheet.append([])
    sheet.append(["m_dti", dt.datetime(2021, 1, 1), "Mới"])
    sheet.append(["m_awards", dt.datetime(2021, 1, 1), dt.datetime(2022, 1, 1)])
    path = tmp_path / "book.xlsx"
    book.save(path)
    plan = plan_import(built_db, path)
    assert plan.changed == {"m_dti": {"title_vi": ("Đứng đầu DTI cấp tỉnh năm 2021", "Mới")}}
    (problem,) = plan.problems
    assert (problem.row, problem.field, problem.code) == (4, "title_vi", "excel_date_in_text")
    assert "2022-01-01" in problem.text("vi") and "Text" in problem.text("en")


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        (b'key,label_vi\nprocedures,"abc\n', "not a well-formed CSV file"),
        (b"key,label_vi\nprocedures," + b"a" * 200_000 + b"\n", "not a well-formed CSV file"),
        (b"", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"label_vi\nx\n", "no 'key' column"),
        (bytes(range(256)) * 4, "not UTF-8 text"),
    ],
    ids=["open-quote", "huge-cell", "empty", "bom-only", "no-key", "binary"],
)
def test_broken_files_are_refused_in_one_line(built_db, data, expect):
    with pytest.raises(ImportRefused) as refused:
        plan_import(built_db, ("indicators.csv", data))
    assert expect in str(refused.value) and "\n" not in str(refused.value)
    assert refused.value.problem.text("vi") and refused.value.problem.text("en")


def test_control_characters_are_a_problem_on_their_row(built_db):
    plan = plan_import(built_db, ("indicators.csv", b"key,label_vi\nprocedures,a\x00b\x1bc\n"))
    (problem,) = plan.problems
    assert (problem.row, problem.field, problem.code) == (2, "label_vi", "control_chars")
    assert "'a?b?c'" in str(problem)


def test_token_ties_the_shown_plan_to_the_applied_one(built_db):
    upload = ("indicators.csv", b"key,value\nprocedures,1900\n")
    shown = plan_import(built_db, upload).token
    assert plan_import(built_db, upload).token == shown  # same file, same content
    other = plan_import(built_db, ("indicators.csv", b"key,value\nprocedures,1901\n"))
    with pytest.raises(StoreError, match="changed since the import was shown"):
        apply_import(built_db, other, token=shown)
    apply_import(built_db, plan_import(built_db, upload), token=shown)
    assert load_content(built_db).indicator("procedures").value == 1900


def test_json_values_that_are_not_cells(built_db):
    data = b'[{"key": "procedures", "label_vi": ["a"], "value": {"n": 1}}]'
    plan = plan_import(built_db, ("indicators.json", data))
    assert {(p.field, p.code) for p in plan.problems} == {
        ("label_vi", "not_text"),
        ("value", "not_a_number"),
    }


def test_an_import_that_changes_nothing_writes_nothing(built_db):
    plan = plan_import(built_db, ("indicators.csv", b"key,value\nprocedures,1890\n"))
    before = built_db.stat().st_mtime_ns
    result = apply_import(built_db, plan)
    assert "nothing to change" in str(result) and result.backup is None
    assert built_db.stat().st_mtime_ns == before and not (built_db.parent / "backups").exists()
