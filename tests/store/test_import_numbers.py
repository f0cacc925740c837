"""Defect 6: figures are read by a declared convention, or refused; never silently changed."""

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.store import load_content


def db_import(db, file, *options):
    return CliRunner().invoke(cli, ["db", "import", "--db", str(db), *options, str(file)])


def write(tmp_path, body, name="indicators.csv"):
    f = tmp_path / name
    f.write_text(body, encoding="utf-8")
    return f


def value(db, key):
    return load_content(db).indicator(key).value


@pytest.mark.parametrize("written", ["1.890", "1,890"])
def test_ambiguous_thousands_are_refused_showing_the_value(built_db, tmp_path, written):
    f = write(tmp_path, f'key,value\nprocedures,"{written}"\n')
    result = db_import(built_db, f)
    assert result.exit_code == 1, result.output
    assert f"'{written}'" in result.output and "1890" in result.output
    assert "row 2" in result.output and "Traceback" not in result.output
    assert value(built_db, "procedures") == 1890


@pytest.mark.parametrize(
    ("style", "written", "key", "expected"),
    [
        ("vi", "1.890", "procedures", 1890),
        ("en", "1,890", "procedures", 1890),
        ("vi", "8,23", "grdp_ict", 8.23),
        ("en", "8.23", "grdp_ict", 8.23),
        ("vi", "1.234.567", "procedures", 1234567),
        ("vi", "99,8", "households_internet", 99.8),
    ],
)
def test_declared_style_reads_as_meant(built_db, tmp_path, style, written, key, expected):
    f = write(tmp_path, f'key,value\n{key},"{written}"\n')
    result = db_import(built_db, f, "--numbers", style)
    assert result.exit_code == 0, result.output
    assert value(built_db, key) == expected


@pytest.mark.parametrize(
    ("written", "key", "expected"),
    [
        ("1 890", "procedures", 1890),
        ("1\u00a0890", "procedures", 1890),
        ("8,23", "grdp_ict", 8.23),  # a comma followed by two digits can only be a decimal
        ("97%", "online_level34", 97),
        ("97 %", "online_level34", 97),
        ("1.890,5", "phones", 1890.5),
    ],
)
def test_unambiguous_values_read_as_meant(built_db, tmp_path, written, key, expected):
    f = write(tmp_path, f'key,value\n{key},"{written}"\n')
    result = db_import(built_db, f)
    assert result.exit_code == 0, result.output
    assert value(built_db, key) == expected


def test_per_column_style(built_db, tmp_path):
    f = write(tmp_path, 'key,value,position\nprocedures,"1.890",10\n')
    result = db_import(built_db, f, "--numbers", "value=vi")
    assert result.exit_code == 0, result.output
    assert value(built_db, "procedures") == 1890


@pytest.mark.parametrize(
    ("style", "written", "hint"),
    [("en", "8,23", "8.23"), ("vi", "99.8", "99,8")],
)
def test_value_against_the_declared_style_is_refused(built_db, tmp_path, style, written, hint):
    f = write(tmp_path, f'key,value\ngrdp_ict,"{written}"\n')
    result = db_import(built_db, f, "--numbers", style)
    assert result.exit_code == 1
    assert f"'{written}'" in result.output and hint in result.output
    assert value(built_db, "grdp_ict") == 8.23


def test_a_percent_sign_on_a_count_is_refused(built_db, tmp_path):
    f = write(tmp_path, "key,value\nprocedures,97%\n")
    result = db_import(built_db, f)
    assert result.exit_code == 1 and "'97%'" in result.output


def test_a_fraction_of_a_count_is_an_error(built_db, tmp_path):
    f = write(tmp_path, "key,value\nprocedures,1890.5\n")
    result = db_import(built_db, f)
    assert result.exit_code == 1, result.output
    assert "whole number" in result.output
    assert value(built_db, "procedures") == 1890


def test_whole_number_columns_refuse_fractions(built_db, tmp_path):
    f = write(tmp_path, "key,position\nprocedures,10.5\n")
    result = db_import(built_db, f)
    assert result.exit_code == 1 and "whole number" in result.output
