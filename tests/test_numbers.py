from kiosk.content.model import Indicator, Text
from kiosk.content.numbers import decimals_of, format_indicator, format_number, format_value

PERCENT = Text("%", "%")


def _indicator(value, kind="percent", qualifier="", unit=PERCENT):
    return Indicator("k", Text("nhãn", "label"), value, unit, kind, "2021", "src", qualifier)


def test_thousands_and_decimals_follow_the_language():
    assert format_number(1890, "vi") == "1.890"
    assert format_number(1890, "en") == "1,890"
    assert format_number(1234567.5, "vi", 1) == "1.234.567,5"


def test_percent_keeps_the_source_precision():
    assert format_value(_indicator(99.8), "vi") == "99,8\u202f%"
    assert format_value(_indicator(99.8), "en") == "99.8%"
    assert format_value(_indicator(8.23), "en") == "8.23%"
    assert format_value(_indicator(97), "en") == "97%"


def test_in_between_values_keep_the_final_width():
    assert format_value(_indicator(99.8), "en", value=3.14159) == "3.1%"


def test_qualifier_and_unit_words():
    count = _indicator(20, "count", "over", Text("giải pháp", "solutions"))
    assert format_indicator(count, "vi") == "hơn 20 giải pháp"
    assert format_indicator(count, "en") == "more than 20 solutions"
    assert format_indicator(_indicator(60, qualifier="approx"), "en") == "nearly 60%"


def test_decimals_of():
    assert [decimals_of(v) for v in (1890, 99.8, 8.23, 14.6)] == [0, 1, 2, 1]
