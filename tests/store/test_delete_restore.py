"""Defect 8: delete, replace, restore, folder import, backups first; build never erases."""

import sqlite3

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.store import load_content

SEED_HEADER = "key,date,precision,title_vi,title_en,body_vi,body_en,category,source_key,image\n"


def db(*args, input=None):
    return CliRunner().invoke(cli, ["db", *args], input=input)


def keys(path, table):
    conn = sqlite3.connect(path)
    try:
        return {k for (k,) in conn.execute(f'SELECT key FROM "{table}"')}
    finally:
        conn.close()


def backups(path):
    return sorted((path.parent / "backups").glob("*.db"))


def test_delete_a_row_with_a_backup_first(built_db):
    result = db("delete", "--db", str(built_db), "milestones", "m_awards")
    assert result.exit_code == 0, result.output
    assert "m_awards" not in keys(built_db, "milestones")
    assert str(built_db) in result.output
    assert len(backups(built_db)) == 1 and "m_awards" in keys(backups(built_db)[0], "milestones")


def test_delete_refuses_a_row_others_need(built_db):
    result = db("delete", "--db", str(built_db), "quotes", "q_thach")
    assert result.exit_code == 1 and "q_thach" in result.output
    assert "q_thach" in keys(built_db, "quotes")


def test_import_replace_shows_deletions_then_deletes(built_db, tmp_path):
    db("export", "--db", str(built_db), str(tmp_path / "out"))
    f = tmp_path / "out" / "milestones.csv"
    lines = f.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(("m_awards,", "m_covid,"))]
    f.write_text("".join(kept), encoding="utf-8")
    refused = db("import", "--db", str(built_db), "--replace", str(f), input="n\n")
    assert refused.exit_code == 1 and "m_awards" in refused.output and "m_covid" in refused.output
    assert {"m_awards", "m_covid"} <= keys(built_db, "milestones")
    result = db("import", "--db", str(built_db), "--replace", str(f), input="y\n")
    assert result.exit_code == 0, result.output
    assert not {"m_awards", "m_covid"} & keys(built_db, "milestones")


def test_import_a_folder_in_one_transaction(built_db, tmp_path):
    out = tmp_path / "out"
    db("export", "--db", str(built_db), str(out))
    (out / "sources.csv").write_text(
        (out / "sources.csv").read_text(encoding="utf-8-sig") + "art_new,Mới,New,NXB,Pub,,,\n",
        encoding="utf-8",
    )
    (out / "statements.csv").write_text(
        "key,category,text_vi,text_en,source_key,position\ns_new,context,Mới,New,art_new,99\n",
        encoding="utf-8",
    )
    result = db("import", "--db", str(built_db), str(out))
    assert result.exit_code == 0, result.output
    assert "art_new" in keys(built_db, "sources") and "s_new" in keys(built_db, "statements")
    # One bad file: none of the folder is imported.
    (out / "statements.csv").write_text(
        "key,category,text_vi,text_en,source_key,position\ns_bad,context,,New,art_new,99\n",
        encoding="utf-8",
    )
    (out / "projects.csv").write_text("key,year\np_new,2023\n", encoding="utf-8")
    result = db("import", "--db", str(built_db), str(out))
    assert result.exit_code == 1
    assert "s_bad" not in keys(built_db, "statements") and "p_new" not in keys(built_db, "projects")


def test_restore_puts_a_backup_back_even_with_the_kiosk_reading(built_db, tmp_path):
    saved = tmp_path / "saved.db"
    assert db("backup", "--db", str(built_db), str(saved)).exit_code == 0
    f = tmp_path / "indicators.csv"
    f.write_text("key,value\nprocedures,2000\n", encoding="utf-8")
    kiosk = sqlite3.connect(f"{built_db.as_uri()}?mode=ro", uri=True)  # the running kiosk
    kiosk.execute("SELECT count(*) FROM indicators").fetchone()
    try:
        assert db("import", "--db", str(built_db), str(f)).exit_code == 0
        assert load_content(built_db).indicator("procedures").value == 2000
        result = db("restore", "--db", str(built_db), str(saved))
        assert result.exit_code == 0, result.output
        assert str(built_db) in result.output
        assert load_content(built_db).indicator("procedures").value == 1890
        value = kiosk.execute("SELECT value FROM indicators WHERE key='procedures'").fetchone()
        assert value[0] == 1890
    finally:
        kiosk.close()
    assert load_content(built_db).indicator("procedures").value == 1890


def test_restore_refuses_a_bad_backup_and_changes_nothing(built_db, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(built_db.read_bytes()[:5000])
    before = load_content(built_db)
    result = db("restore", "--db", str(built_db), str(bad))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert load_content(built_db) == before
    result = db("restore", "--db", str(built_db), str(tmp_path / "nosuch.db"))
    assert result.exit_code == 1 and "backup file not found" in result.output
    assert load_content(built_db) == before


def test_build_over_an_existing_db_refuses_unless_forced(built_db, tmp_path):
    f = tmp_path / "indicators.csv"
    f.write_text("key,value\nprocedures,2000\n", encoding="utf-8")
    db("import", "--db", str(built_db), str(f))
    result = db("build", "--db", str(built_db))
    assert result.exit_code == 1 and "--force" in result.output
    assert load_content(built_db).indicator("procedures").value == 2000
    result = db("build", "--db", str(built_db), "--force")
    assert result.exit_code == 0, result.output
    assert load_content(built_db).indicator("procedures").value == 1890
    assert any(load_content(b).indicator("procedures").value == 2000 for b in backups(built_db))


def test_a_key_twice_in_one_file_names_both_rows(built_db, tmp_path):
    f = tmp_path / "indicators.csv"
    f.write_text("key,value\nprocedures,1900\nphones,270\nprocedures,1950\n", encoding="utf-8")
    result = db("import", "--db", str(built_db), str(f))
    assert result.exit_code == 1
    assert "row 4" in result.output and "row 2" in result.output
    assert load_content(built_db).indicator("procedures").value == 1890


def test_unknown_milestone_category_names_the_allowed_ones(built_db, tmp_path):
    f = tmp_path / "milestones.csv"
    f.write_text("key,category\nm_dti,rankings\n", encoding="utf-8")
    result = db("import", "--db", str(built_db), str(f))
    assert result.exit_code == 1
    assert "'rankings'" in result.output and "policy, ranking, award" in result.output


@pytest.mark.parametrize("command", ["import", "delete", "restore", "build"])
def test_every_changing_command_backs_up_first(built_db, tmp_path, command):
    saved = tmp_path / "saved.db"
    db("backup", "--db", str(built_db), str(saved))
    f = tmp_path / "indicators.csv"
    f.write_text("key,value\nprocedures,1900\n", encoding="utf-8")
    args = {
        "import": ["import", str(f)],
        "delete": ["delete", "milestones", "m_awards"],
        "restore": ["restore", str(saved)],
        "build": ["build", "--force"],
    }[command]
    result = db(*args[:1], "--db", str(built_db), *args[1:])
    assert result.exit_code == 0, result.output
    assert len(backups(built_db)) == 1 and str(backups(built_db)[0]) in result.output


def test_the_kiosk_shows_the_restored_content_at_its_next_poll(built_db, tmp_path):
    from kiosk.store import ContentSource

    saved = tmp_path / "saved.db"
    db("backup", "--db", str(built_db), str(saved))
    source = ContentSource(built_db, clock=lambda: 0.0)  # the running kiosk's reader
    try:
        f = tmp_path / "indicators.csv"
        f.write_text("key,value\nprocedures,2000\n", encoding="utf-8")
        assert db("import", "--db", str(built_db), str(f)).exit_code == 0
        assert source.poll().indicator("procedures").value == 2000
        assert db("restore", "--db", str(built_db), str(saved)).exit_code == 0
        assert source.poll().indicator("procedures").value == 1890
        assert source.poll() is None
    finally:
        source.close()
    assert load_content(built_db).indicator("procedures").value == 1890
