"""The staff ``kiosk db`` commands through click's CliRunner."""

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli

SEED = Path(__file__).resolve().parents[1] / "db"


@pytest.fixture
def db(tmp_path):
    target = tmp_path / "sub" / "content.db"
    result = CliRunner().invoke(cli, ["db", "build", "--db", str(target), "--from", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "13 indicators" in result.output
    return target


def run(*args):
    return CliRunner().invoke(cli, ["db", *args])


@pytest.mark.parametrize("command", ["build", "import", "export", "validate", "migrate", "backup"])
def test_help_has_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_validate_ok_and_failing(db):
    result = run("validate", str(db))
    assert result.exit_code == 0 and "ok: no errors" in result.output
    conn = sqlite3.connect(db)
    conn.execute("UPDATE playlist SET duration_s = 9999 WHERE key = 'awards_all'")
    conn.commit()
    conn.close()
    result = run("validate", "--db", str(db))
    assert result.exit_code == 1
    assert "playlist [awards_all] duration_s" in result.output
    assert "Traceback" not in result.output
    result = run("validate", "--db", str(db), "--lang", "vi")
    assert "Lỗi: Trang trình chiếu «awards_all», Thời lượng (giây): phải từ 3 đến 600 giây" in (
        result.output
    )


def test_validate_missing_db_is_one_line(tmp_path):
    result = run("validate", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "not found" in result.output


def test_import_good_and_bad(db, tmp_path):
    good = tmp_path / "indicators.csv"
    good.write_text("key,value\nprocedures,1900\n", encoding="utf-8")
    result = run("import", "--db", str(db), str(good))
    assert result.exit_code == 0 and "imported 1 row" in result.output
    bad = tmp_path / "milestones.csv"
    bad.write_text("key,date\nm_dti,2021-02-30\n", encoding="utf-8")
    result = run("import", "--db", str(db), str(bad))
    assert result.exit_code == 1
    assert "nothing changed" in result.output and "m_dti" in result.output


def test_export_migrate_backup(db, tmp_path):
    result = run("export", "--db", str(db), str(tmp_path / "out"))
    assert result.exit_code == 0 and "indicators.csv" in result.output
    result = run("migrate", "--db", str(db))
    assert result.exit_code == 0 and "up to date" in result.output
    result = run("backup", "--db", str(db), str(tmp_path / "copy.db"))
    assert result.exit_code == 0 and (tmp_path / "copy.db").is_file()


def _as_v1(db):
    conn = sqlite3.connect(db)
    conn.executescript(
        "DELETE FROM _sqlite_migrations WHERE name != '0001_content_tables'; DROP TABLE images;"
        "DROP INDEX idx_milestones_date; DROP INDEX idx_milestones_category;"
        "DROP INDEX idx_playlist_position; PRAGMA user_version = 1;"
    )
    conn.close()


def test_migrate_upgrades_a_v1_db_then_reports_up_to_date(db):
    _as_v1(db)
    result = run("validate", "--db", str(db))
    assert result.exit_code == 1 and "run 'kiosk db migrate'" in result.output
    result = run("migrate", "--db", str(db))
    assert result.exit_code == 0
    assert result.output.strip() == (
        f"{db}: applied 0002_timeline_indexes, 0003_categories_and_showing, 0004_milestone_images"
    )
    assert [b.name.endswith("-before-migrate.db") for b in (db.parent / "backups").iterdir()] == [
        True
    ]
    assert run("migrate", "--db", str(db)).output.strip() == "schema is up to date"
    assert run("validate", "--db", str(db)).exit_code == 0


def test_migrate_refuses_a_newer_db_in_one_line(db):
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    before = db.read_bytes()
    result = run("migrate", "--db", str(db))
    assert result.exit_code == 1
    assert "schema version 9" in result.output and "update the kiosk" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert db.read_bytes() == before
