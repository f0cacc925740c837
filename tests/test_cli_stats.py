"""``kiosk stats`` through click's CliRunner: summary, CSV, missing file, exit codes."""

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.store.stats import StatsStore

SEED = Path(__file__).resolve().parents[1] / "db"


def run(*args, env=None):
    return CliRunner().invoke(cli, ["stats", *args], env=env)


def _record(path):
    with StatsStore(path) as stats:
        sid = stats.start_session("2026-11-20T09:00:00")
        stats.screen_opened(sid, "timeline")
        stats.milestone_opened(sid, "m_dti")
        stats.end_session(sid, 40, "idle")
        stats.start_session("2026-11-21T15:00:00")


def test_help_has_example():
    result = run("--help")
    assert result.exit_code == 0 and "Example: kiosk stats" in result.output


def test_summary(tmp_path):
    path = tmp_path / "visits.db"
    _record(path)
    result = run("--stats-db", str(path))
    assert result.exit_code == 0, result.output
    assert "Sessions: 2 on 2 day(s), 2026-11-20 to 2026-11-21" in result.output
    assert "Idle resets: 1" in result.output and "Top milestones: m_dti 1" in result.output


def test_csv(tmp_path):
    path = tmp_path / "visits.db"
    _record(path)
    result = run("--csv", "--stats-db", str(path))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 2
    assert rows[0]["length_s"] == "40.0" and rows[0]["screen_timeline"] == "1"
    assert rows[1]["end_reason"] == ""


def test_default_file_is_beside_the_content_db(tmp_path):
    content = tmp_path / "var" / "content.db"
    _record(content.with_name("visits.db"))
    result = run(env={"KIOSK_DB": str(content)})
    assert result.exit_code == 0, result.output
    assert f"Visit statistics from {content.with_name('visits.db')}" in result.output


def test_missing_file_one_line_exit_1(tmp_path):
    path = tmp_path / "visits.db"
    for args in ([], ["--csv"]):
        result = run(*args, "--stats-db", str(path))
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: no visits recorded yet at {path}")
        assert len(result.output.strip().splitlines()) == 1
        assert "Traceback" not in result.output
    assert not path.exists()


def test_content_db_as_stats_file_is_refused(tmp_path):
    content = tmp_path / "content.db"
    built = CliRunner().invoke(cli, ["db", "build", "--db", str(content), "--from", str(SEED)])
    assert built.exit_code == 0, built.output
    before = content.read_bytes()
    result = run("--stats-db", str(content))
    assert result.exit_code == 1
    assert "is a content DB, not a visit statistics file" in result.output
    assert content.read_bytes() == before


def test_broken_file_one_line_exit_1(tmp_path):
    path = tmp_path / "visits.db"
    path.write_text("not a database at all\n" * 100)
    result = run("--stats-db", str(path))
    assert result.exit_code == 1
    assert "damaged or not SQLite" in result.output
    assert len(result.output.strip().splitlines()) == 1
