"""A content DB whose tables or columns differ from what the kiosk reads: one line, never a
traceback, from the read path, the staff commands and the kiosk's start-up."""

import sqlite3

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.store import ContentSource, StoreError, load_content

CHANGES = {
    "renamed indicators.value": (
        "ALTER TABLE indicators RENAME COLUMN value TO amount",
        "indicators",
        "value",
    ),
    "dropped milestones.image": ("ALTER TABLE milestones DROP COLUMN image", "milestones", "image"),
    "dropped table quotes": ("DROP TABLE quotes", "quotes", "missing"),
    "view in place of projects": (
        "ALTER TABLE projects RENAME TO p2; CREATE VIEW projects AS SELECT * FROM p2",
        "projects",
        "view",
    ),
}


def _changed(db, sql):
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.close()
    return db


@pytest.fixture(params=sorted(CHANGES))
def changed(request, built_db):
    sql, table, word = CHANGES[request.param]
    return _changed(built_db, sql), table, word


def test_read_path_names_the_table_and_column(changed):
    db, table, word = changed
    with pytest.raises(StoreError) as error:
        load_content(db)
    assert table in str(error.value) and word in str(error.value)
    assert "\n" not in str(error.value)


def test_source_poll_keeps_last_good_with_one_line(built_db, caplog):
    source = ContentSource(built_db)
    good = source.current
    _changed(built_db, CHANGES["renamed indicators.value"][0])
    assert source.poll() is None and source.poll() is None
    assert source.current is good
    lines = [r for r in caplog.records if "indicators" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]


@pytest.mark.parametrize("command", ["validate", "export", "migrate"])
def test_staff_commands_name_it_without_a_traceback(changed, command, tmp_path):
    db, table, word = changed
    args = ["db", command, "--db", str(db)]
    if command == "export":
        args.append(str(tmp_path / "out"))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0, result.output
    assert not isinstance(result.exception, (KeyError, sqlite3.Error)), result.exception
    assert "Traceback" not in result.output
    assert table in result.output and word in result.output
    assert "up to date" not in result.output
