"""Number formatting per language: vi writes 1.890 and 99,8 %; en writes 1,890 and 99.8%.

Pure functions, used by the slides, the count-up animation (which formats the in-between
values too) and the CLI previews.
"""

from __future__ import annotations

import math

from kiosk.content.i18n import has, t
from kiosk.content.model import Indicator, Lang, Qualifier


def decimals_of(value: float, max_decimals: int = 2) -> int:
    """How many decimals a source figure was written with (8.23 -> 2, 99.8 -> 1, 1890 -> 0)."""
    for places in range(max_decimals + 1):
        if math.isclose(round(value, places), value, rel_tol=0, abs_tol=1e-9):
            return places
    return max_decimals


def format_number(value: float, lang: Lang, decimals: int = 0) -> str:
    """Group thousands and place the decimal mark the way each language writes it."""
    if not math.isfinite(value):
        return "–"
    text = f"{value:,.{decimals}f}"  # en style: 1,890.5
    if lang == "vi":
        text = text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")
    return text


def format_percent(value: float, lang: Lang, decimals: int = 0) -> str:
    """vi: "99,8 %" (a narrow no-break space, as Vietnamese typography does); en: "99.8%"."""
    number = format_number(value, lang, decimals)
    return f"{number}\u202f%" if lang == "vi" else f"{number}%"


def qualifier_word(qualifier: Qualifier, lang: Lang) -> str:
    """The word for "gần"/"hơn" in the given language, or "" when there is none."""
    key = f"qualifier.{qualifier}"
    return t(key, lang) if qualifier and has(key) else ""


def format_value(indicator: Indicator, lang: Lang, value: float | None = None) -> str:
    """The indicator's number as shown on a tile, without qualifier or unit words.

    ``value`` overrides the indicator's own value; the count-up animation passes the
    in-between values and keeps the final figure's number of decimals so the width is steady.
    """
    shown = indicator.value if value is None else value
    places = decimals_of(indicator.value)
    if indicator.kind == "percent":
        return format_percent(shown, lang, places)
    return format_number(shown, lang, places)


def format_indicator(indicator: Indicator, lang: Lang) -> str:
    """The whole figure in one line: "gần 60 %", "hơn 20 giải pháp", "276 máy/100 dân"."""
    parts = [qualifier_word(indicator.qualifier, lang), format_value(indicator, lang)]
    if indicator.kind != "percent":
        parts.append(indicator.unit.get(lang))
    return " ".join(p for p in parts if p)
