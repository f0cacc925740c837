"""Number and date conventions: read as meant, or refused; never a different figure."""

import datetime as dt
import random

import pytest

from kiosk.content.numbers import format_number
from kiosk.store.conventions import CellError, parse_styles, read_date, read_number


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("1890", None, 1890),
        ("8,23", None, 8.23),
        ("8.23", None, 8.23),
        ("0.890", None, 0.89),  # a leading 0 never starts a thousands group
        ("1.234.567", None, 1234567),
        ("1,234,567", None, 1234567),
        ("1.890,5", None, 1890.5),
        ("1,890.5", None, 1890.5),
        ("1 890", None, 1890),
        ("1\u202f890,5", None, 1890.5),
        ("-12", None, -12),
        ("1.890", "vi", 1890),
        ("1.890", "en", 1.89),
        ("1,890", "vi", 1.89),
        ("1,890", "en", 1890),
        (8.23, None, 8.23),
        (1890, None, 1890),
    ],
)
def test_read_as_meant(text, style, expected):
    value = read_number(text, style=style)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "style", "code"),
    [
        ("1.890", None, "ambiguous_number"),
        ("1,890", None, "ambiguous_number"),
        ("8,23", "en", "number_style"),
        ("1.2.3", None, "not_a_number"),
        ("12.34.567", None, "not_a_number"),
        ("1 89", None, "not_a_number"),
        ("abc", None, "not_a_number"),
        ("97%", None, "percent_sign"),
        ("1e5", None, "not_a_number"),
        (float("nan"), None, "not_a_number"),
    ],
)
def test_refused_with_a_reason(text, style, code):
    with pytest.raises(CellError) as refused:
        read_number(text, style=style)
    assert refused.value.code == code


def test_whole_numbers_and_percent():
    assert read_number("97 %", style=None, percent=True) == 97
    assert read_number("2021.0", style=None, whole=True) == 2021
    with pytest.raises(CellError, match="whole_number"):
        read_number("8,5", style=None, whole=True)


@pytest.mark.parametrize("style", ["vi", "en"])
def test_what_the_kiosk_shows_reads_back_as_the_same_figure(style):
    # The kiosk's own formatting (1.890,5 / 1,890.5) must come back unchanged.
    rng = random.Random(10)
    for _ in range(2000):
        decimals = rng.choice([0, 0, 1, 2])
        value = round(rng.uniform(0, 10_000_000) / 10 ** rng.randint(0, 5), decimals)
        text = format_number(value, style, decimals)
        assert read_number(text, style=style) == pytest.approx(value, abs=0), text
        try:
            undeclared = read_number(text, style=None)
        except CellError as refused:
            assert refused.code == "ambiguous_number"
        else:
            assert undeclared == pytest.approx(value, abs=0), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-06-15", "2023-06-15"),
        ("15/06/2023", "2023-06-15"),
        ("15-06-2023", "2023-06-15"),
        ("15.06.2023", "2023-06-15"),
        ("5/6/2023", "2023-06-05"),
        ("2023-06-15 00:00:00", "2023-06-15"),
        (dt.datetime(2023, 6, 15), "2023-06-15"),
        (dt.date(2023, 6, 15), "2023-06-15"),
        ("", ""),
    ],
)
def test_dates(text, expected):
    assert read_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("06/15/2023", "month_first_date"),
        ("31/02/2023", "bad_date"),
        ("15/06/23", "bad_date"),
        ("June 2023", "bad_date"),
        (dt.datetime(2023, 6, 15, 9, 30), "date_time"),
    ],
)
def test_dates_refused_showing_the_value(text, code):
    with pytest.raises(CellError) as refused:
        read_date(text)
    assert refused.value.code == code and refused.value.params["value"]


def test_declared_styles():
    assert parse_styles(None) == {}
    assert parse_styles("vi") == {"*": "vi"}
    assert parse_styles(["en", "value=vi"]) == {"*": "en", "value": "vi"}
    assert parse_styles({"value": "en"}) == {"value": "en"}
    with pytest.raises(ValueError):
        parse_styles("fr")
