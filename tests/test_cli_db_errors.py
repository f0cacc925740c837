"""Defect 9: staff commands answer permissions, full disks and odd paths with one line."""

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli

SEED = Path(__file__).resolve().parents[1] / "db"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def one_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def db(tmp_path):
    target = tmp_path / "content.db"
    assert run("db", "build", "--db", str(target), "--from", str(SEED)).exit_code == 0
    return target


def test_unreadable_import_file_is_one_line(db, tmp_path, monkeypatch):
    f = tmp_path / "milestones.csv"
    f.write_text("key,title_vi\nm_dti,x\n", encoding="utf-8")

    def denied(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    line = one_line(run("db", "import", "--db", str(db), str(f)))
    assert str(f) in line and "cannot read" in line


def _as_nobody() -> list[str] | None:
    """A command prefix running this kiosk's Python code as the unprivileged user 'nobody'
    (this Python if 'nobody' may run it, else the system's with our import path), or None."""
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return None
    path = os.pathsep.join(p for p in sys.path if p)
    for python in (sys.executable, "/usr/bin/python3"):
        prefix = ["runuser", "-u", "nobody", "--", "env", f"PYTHONPATH={path}", python]
        probe = subprocess.run(
            [*prefix, "-c", "import kiosk.cli"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return prefix
    return None


AS_NOBODY = _as_nobody()


@pytest.mark.skipif(AS_NOBODY is None, reason="needs root and a Python 'nobody' can run")
def test_real_permission_denied_as_another_user(db, tmp_path):
    # The Debian 12 case: a file in a home folder (0700) the kiosk user cannot enter.
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    f = home / "milestones.csv"
    f.write_text("key,title_vi\nm_dti,x\n", encoding="utf-8")
    os.chmod(tmp_path, 0o755)
    code = "from kiosk.cli import main; main()"
    done = subprocess.run(
        [*AS_NOBODY, "-c", code, "db", "import", "--db", str(db), str(f)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "cannot read" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    # An unwritable DB (owned by root, 0644) and folder: one line naming the DB.
    ok = tmp_path / "indicators.csv"
    ok.write_text("key,value\nprocedures,1900\n", encoding="utf-8")
    os.chmod(ok, 0o644)
    done = subprocess.run(
        [*AS_NOBODY, "-c", code, "db", "import", "--db", str(db), str(ok)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and str(db.parent) in done.stderr


def test_unwritable_db_is_one_line(db, tmp_path, monkeypatch):
    f = tmp_path / "indicators.csv"
    f.write_text("key,value\nprocedures,1900\n", encoding="utf-8")
    real_connect = sqlite3.connect

    def readonly(path, *args, **kwargs):
        if str(path) == str(db):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", readonly)
    line = one_line(run("db", "import", "--db", str(db), str(f)))
    assert str(db) in line and "cannot be written" in line


def test_full_disk_is_one_line(db, tmp_path, monkeypatch):
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "open", full)
    line = one_line(run("db", "export", "--db", str(db), str(tmp_path / "out")))
    assert "disk is full" in line


def test_full_disk_while_writing_the_db_is_one_line(db, tmp_path, monkeypatch):
    from kiosk.store import applying

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(applying, "write_changes", full)
    f = tmp_path / "indicators.csv"
    f.write_text("key,value\nprocedures,1900\n", encoding="utf-8")
    line = one_line(run("db", "import", "--db", str(db), str(f)))
    assert "disk is full" in line and "nothing was changed" in line


def test_backup_to_a_missing_folder_is_refused(db, tmp_path):
    missing = tmp_path / "nosuch"
    line = one_line(run("db", "backup", "--db", str(db), f"{missing}/"))
    assert "no such folder" in line
    assert not missing.exists()


def test_every_writing_command_names_the_db(db, tmp_path):
    f = tmp_path / "indicators.csv"
    f.write_text("key,value\nprocedures,1900\n", encoding="utf-8")
    for args in (
        ["import", str(f)],
        ["delete", "milestones", "m_awards"],
        ["backup"],
    ):
        result = run("db", args[0], "--db", str(db), *args[1:])
        assert result.exit_code == 0 and str(db) in result.output, (args, result.output)


def test_stats_takes_db(db):
    result = run("stats", "--db", str(db))
    assert "no such option" not in result.output
    assert str(db.parent / "visits.db") in result.output


def test_an_empty_db_gets_a_warning(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for name in ("sources.csv",):
        (empty / name).write_text("key,title_vi\n", encoding="utf-8")
    target = tmp_path / "content.db"
    built = run("db", "build", "--db", str(target), "--from", str(empty))
    assert built.exit_code == 0, built.output
    result = run("db", "validate", "--db", str(target))
    assert "warning" in result.output and "no rows at all" in result.output


def test_unwritable_folder_for_restore_is_one_line(db, tmp_path, monkeypatch):
    saved = tmp_path / "saved.db"
    assert run("db", "backup", "--db", str(db), str(saved)).exit_code == 0
    real_connect = sqlite3.connect

    def readonly_folder(path, *args, **kwargs):
        if ".new-" in str(path):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", readonly_folder)
    line = one_line(run("db", "restore", "--db", str(db), str(saved)))
    assert str(db.parent) in line and "cannot write" in line
