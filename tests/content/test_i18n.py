"""UI strings in both languages and dates printed no more precisely than their source."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from kiosk.content import i18n
from kiosk.content.i18n import STRINGS, category_name, format_date, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_both_languages_with_the_same_fields(key):
    vi, en = STRINGS[key]
    assert vi.strip() and en.strip(), f"{key} is empty in one language"
    assert vi == vi.strip() and en == en.strip()
    # Date patterns use different fields by design (vi writes the month as a number).
    if not key.startswith("date."):
        assert _fields(vi) == _fields(en), f"{key} has different {{fields}} in vi and en"


def test_no_vietnamese_string_equals_its_english_by_mistake():
    same = {k for k, (vi, en) in STRINGS.items() if vi == en}
    assert same == set(i18n.SAME_IN_BOTH)


def test_brief_strings_are_present_and_exact():
    assert t("tile.timeline", "vi") == "Dòng thời gian"
    assert t("tile.timeline", "en") == "Timeline"
    assert t("tile.indicators", "vi") == "Chỉ số"
    assert t("tile.awards", "vi") == "Giải thưởng và xếp hạng"
    assert t("tile.awards", "en") == "Awards and rankings"
    assert t("tile.about", "vi") == "Về chương trình"
    assert t("tile.about", "en") == "About the programme"
    assert t("countdown.title", "vi", n=7) == "Trở về trình chiếu sau 7 giây"
    assert t("countdown.title", "en", n=7) == "Returning to the slideshow in 7 s"
    assert t("countdown.stay.both", "vi") == "Chạm để ở lại · Touch to stay"
    assert t("filter.all", "vi") == "Tất cả" and t("filter.all", "en") == "All"
    assert t("source.line", "vi", title="X") == "Nguồn: X"
    assert t("source.line", "en", title="X") == "Source: X"
    assert t("lang.vi", "en") == "VI" and t("lang.en", "vi") == "EN"


def test_explore_hint_is_bilingual_in_both_languages():
    for lang in ("vi", "en"):
        text = t("hint.explore", lang)
        assert "Chạm để khám phá" in text and "Touch to explore" in text
    assert t("hint.explore", "vi").startswith("Chạm")


def test_unknown_key_raises_naming_the_key():
    with pytest.raises(KeyError, match="tile.nope"):
        t("tile.nope", "vi")


def test_every_seed_category_has_a_name_and_unknown_ones_fall_back():
    import csv
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2] / "db" / "milestones.csv"
    with seed.open(encoding="utf-8") as fh:
        categories = {row["category"] for row in csv.DictReader(fh)}
    assert categories
    for category in categories:
        assert i18n.has(f"category.{category}"), category
        assert category_name(category, "vi") != category_name(category, "en")
    assert category_name("smart_health", "vi") == "Smart health"
    assert category_name("", "en") == "Other"


@pytest.mark.parametrize(
    ("date", "precision", "vi", "en"),
    [
        (dt.date(2021, 1, 1), "year", "năm 2021", "2021"),
        (dt.date(2022, 1, 1), "month", "tháng 1/2022", "January 2022"),
        (dt.date(2022, 1, 20), "day", "20/01/2022", "20 January 2022"),
        (dt.date(2021, 12, 5), "day", "05/12/2021", "5 December 2021"),
        (dt.date(2021, 12, 5), "month", "tháng 12/2021", "December 2021"),
    ],
)
def test_format_date_by_precision(date, precision, vi, en):
    assert format_date(date, precision, "vi") == vi
    assert format_date(date, precision, "en") == en


def test_format_date_never_shows_a_day_the_precision_does_not_give():
    date = dt.date(2022, 3, 17)
    for lang in ("vi", "en"):
        assert "17" not in format_date(date, "month", lang)
        assert "17" not in format_date(date, "year", lang)
        assert "3" not in format_date(date, "year", lang).replace("2022", "")
        assert "March" not in format_date(date, "year", lang)


def test_format_date_rejects_an_unknown_precision():
    with pytest.raises(ValueError, match="unknown date precision 'week'"):
        format_date(dt.date(2022, 1, 1), "week", "vi")


def test_source_line():
    assert i18n.source_line("Báo Đà Nẵng", "vi") == "Nguồn: Báo Đà Nẵng"
    assert i18n.source_line("Báo Đà Nẵng", "en") == "Source: Báo Đà Nẵng"
    assert i18n.source_line("", "en") == "Source not stated"


def test_qualifier_words_match_the_number_formatting():
    from kiosk.content.numbers import qualifier_word

    for qualifier in ("approx", "over"):
        for lang in ("vi", "en"):
            assert t(f"qualifier.{qualifier}", lang) == qualifier_word(qualifier, lang)


def test_statement_and_achievement_names_fall_back():
    assert i18n.statement_name("challenge", "vi") == "Hạn chế, thách thức"
    assert i18n.statement_name("unknown", "en") == "Other information"
    assert i18n.achievement_kind("award", "en") == "Award"
    assert i18n.achievement_kind("unknown", "vi") == "Khác"
