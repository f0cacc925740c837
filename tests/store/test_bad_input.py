"""Bad DBs and bad import files give one-line errors and never change existing data."""

import sqlite3

import pytest

from kiosk.store import StoreError, import_file, load_content, transaction, validate_db


def one_line(error) -> str:
    text = str(error.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_missing_db(tmp_path):
    with pytest.raises(StoreError) as err:
        load_content(tmp_path / "nope.db")
    assert "not found" in one_line(err)
    assert not (tmp_path / "nope.db").exists()


def test_empty_file(tmp_path):
    db = tmp_path / "c.db"
    db.write_bytes(b"")
    with pytest.raises(StoreError) as err:
        load_content(db)
    assert "empty" in one_line(err)


@pytest.mark.parametrize(
    "payload", [b"\x89PNG\r\n\x1a\n" + b"\0" * 2000, b"hello, this is text\n" * 200]
)
def test_not_sqlite(tmp_path, payload):
    db = tmp_path / "c.db"
    db.write_bytes(payload)
    with pytest.raises(StoreError) as err:
        load_content(db)
    assert "not a valid content DB" in one_line(err)


def test_truncated_db(built_db):
    data = built_db.read_bytes()
    built_db.write_bytes(data[: len(data) // 3])
    with pytest.raises(StoreError) as err:
        load_content(built_db)
    one_line(err)


def test_locked_db_reads_work_and_import_times_out(built_db, tmp_path, monkeypatch):
    monkeypatch.setattr(transaction, "WRITE_TIMEOUT_S", 0.05)
    staff = sqlite3.connect(built_db, isolation_level=None)
    staff.execute("BEGIN IMMEDIATE")
    staff.execute("UPDATE indicators SET value = 5 WHERE key = 'procedures'")
    try:
        assert load_content(built_db).indicator("procedures").value == 1890
        f = tmp_path / "statements.csv"
        f.write_text(
            "key,category,text_vi,text_en,source_key,position\ns_new,context,Một,One,art003,99\n",
            encoding="utf-8",
        )
        with pytest.raises(StoreError) as err:
            import_file(built_db, f)
        assert "locked by another program" in one_line(err)
    finally:
        staff.execute("ROLLBACK")
        staff.close()


HEADER = "key,label_vi,label_en,value,unit_vi,unit_en,kind,period,source_key\n"


@pytest.mark.parametrize(
    ("body", "expect"),
    [
        (
            "procedures,Thủ tục,Procedures,1890,x,x,count,2021,art003\n"
            "bad,Xấu,Bad,nan,x,x,count,2021,art003\n",
            "must be a number, got 'nan'",
        ),
        ("bad,Xấu,Bad,inf,x,x,count,2021,art003\n", "must be a number, got 'inf'"),
        ("bad,Xấu,Bad,-1,x,x,count,2021,art003\n", "negative"),
        ("bad,Xấu,Bad,101,%,%,percent,2021,art003\n", "above 100"),
        ("bad,Xấu,Bad,1,x,x,count,2021,nosuch\n", "unknown source"),
        ("bad,Xấu,,1,x,x,count,2021,art003\n", "label_en"),
        ("bad," + "A" * 10000 + ",Bad,1,x,x,count,2021,art003\n", "10000 characters"),
        (
            "ok,Một,One,1,x,x,count,2021,art003\nbad,Xấu,Bad,abc,x,x,count,2021,art003\n",
            "row 3 [bad]: column 'value' must be a number",
        ),
    ],
)
def test_bad_import_changes_nothing(dump, built_db, tmp_path, body, expect):
    before = dump(built_db)
    f = tmp_path / "indicators.csv"
    f.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(StoreError) as err:
        import_file(built_db, f)
    assert expect in one_line(err)
    assert dump(built_db) == before


def test_wrong_columns_and_encoding(dump, built_db, tmp_path):
    before = dump(built_db)
    f = tmp_path / "indicators.csv"
    f.write_text("key,colour\nx,red\n", encoding="utf-8")
    with pytest.raises(StoreError) as err:
        import_file(built_db, f)
    assert "row 1: unknown column 'colour'" in one_line(err)
    f.write_bytes((HEADER + "x,Caf\xe9,P,1,x,x,count,2021,art003\n").encode("cp1252"))
    with pytest.raises(StoreError) as err:
        import_file(built_db, f)
    assert "save it as UTF-8 (CSV UTF-8 in Excel)" in one_line(err)
    assert dump(built_db) == before


def test_good_import_upserts(built_db, tmp_path):
    f = tmp_path / "indicators.json"
    f.write_text('[{"key": "procedures", "value": 1900}]', encoding="utf-8")
    assert "imported 1 row" in import_file(built_db, f)
    assert load_content(built_db).indicator("procedures").value == 1900
    assert load_content(built_db).indicator("procedures").label.vi.startswith("Thủ tục")


def test_html_is_warning_and_missing_image_error(built_db):
    conn = sqlite3.connect(built_db)
    conn.execute("UPDATE projects SET body_en = 'a <b>bold</b> &lt; b' WHERE key = 'p_ioc'")
    conn.execute("UPDATE milestones SET image = 'img/none.png' WHERE key = 'm_dti'")
    conn.commit()
    conn.close()
    problems = validate_db(built_db)
    by = {(p.table, p.key, p.field): p for p in problems}
    assert by[("projects", "p_ioc", "body_en")].level == "warning"
    assert by[("milestones", "m_dti", "image")].level == "error"
    assert all("\n" not in str(p) for p in problems)


@pytest.mark.parametrize(
    ("sql", "field"),
    [
        ("UPDATE milestones SET date = '1999-01-01' WHERE key = 'm_dti'", "date"),
        ("UPDATE milestones SET date = '2021-13-45' WHERE key = 'm_dti'", "date"),
        ("UPDATE milestones SET date = '2021-03-01' WHERE key = 'm_dti'", "date"),
        ("UPDATE playlist SET kind = 'video' WHERE key = 'awards_all'", "kind"),
        ("UPDATE playlist SET ref = 'nope' WHERE key = 'quote_thach'", "ref"),
        ("UPDATE playlist SET ref = 'phones' WHERE key = 'rings_online'", "ref"),
        ("UPDATE playlist SET ref = 'nogroup' WHERE key = 'bars_grdp'", "ref"),
        ("UPDATE playlist SET duration_s = 1 WHERE key = 'awards_all'", "duration_s"),
        (
            "UPDATE playlist SET show_from = '2022-05-01', show_until = '2022-04-01' "
            "WHERE key = 'awards_all'",
            "show_from",
        ),
    ],
)
def test_validation_rules(built_db, sql, field):
    conn = sqlite3.connect(built_db)
    conn.execute(sql)
    conn.commit()
    conn.close()
    errors = [p for p in validate_db(built_db) if p.level == "error"]
    assert [p.field for p in errors] == [field]
