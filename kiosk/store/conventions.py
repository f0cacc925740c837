"""How staff write numbers and dates, and how a cell is read into the value stored.

Numbers: Vietnamese write 1.890 and 8,23; English write 1,890 and 8.23; Excel writes what
the office PC's region says. A value is read by the number style declared for its file or
column ("vi" or "en"); with no style declared, only values that can mean one thing are read
("1890", "8,23", "1 890", "1.234.567", "1.890,5", "97%") and one that could mean two figures
("1.890": 1890 or 1.89) is refused showing both readings. A figure never changes silently.

Dates: ISO (2023-06-15) as stored; what Excel rewrites them to (15/06/2023, 15-06-2023,
15.06.2023) is day/month/year, as Vietnamese write dates; a value that cannot be day-first
(06/15/2023) is refused showing it. A date cell from a workbook arrives as a datetime.

``CellError`` carries the ``staff_text`` message code and parameters of a refusal.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

STYLES = {"vi": (".", ","), "en": (",", ".")}  # style -> (thousands separator, decimal mark)
STYLE_EXAMPLES = {"vi": "1.890 và 8,23", "en": "1,890 and 8.23"}
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
DATE_COLUMNS = {"published", "date", "said_on", "show_from", "show_until"}
BOOLEAN_COLUMNS = {"enabled", "direct"}
TRUE_WORDS = {"true", "yes", "có", "đúng"}
FALSE_WORDS = {"false", "no", "không", "sai"}


class PercentValue(float):
    """A workbook cell formatted as a percentage, already scaled: 0.97 shown as 97% is 97."""


class CellError(ValueError):
    """A cell that cannot be read as meant: ``code`` and ``params`` for ``Problem.of``."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _plain(number: Decimal) -> str:
    """A number as the machine writes it: no grouping, '.' for decimals (1890, 8.23)."""
    return format(number.normalize(), "f")


def _grouped(digits: str) -> bool:
    """'1', '12', '123' then groups of three: the shape of a thousands-grouped integer."""
    return bool(re.fullmatch(r"[1-9]\d{0,2}", digits))


def _groups_ok(parts: list[str]) -> bool:
    return _grouped(parts[0]) and all(re.fullmatch(r"\d{3}", p) for p in parts[1:])


def _readings(text: str) -> list[tuple[str, Decimal]]:
    """Every (style, number) the digits in ``text`` can mean; styles 'vi', 'en', '' (both)."""
    if re.fullmatch(r"\d+", text):
        return [("", Decimal(text))]
    found = []
    for style, (sep, mark) in STYLES.items():
        whole, _, fraction = text.partition(mark) if mark in text else (text, "", "")
        if mark in fraction or (mark in text and not re.fullmatch(r"\d+", fraction)):
            continue
        parts = whole.split(sep)
        if len(parts) > 1 and not _groups_ok(parts):
            continue
        if not re.fullmatch(r"\d+", "".join(parts)):
            continue
        found.append((style, Decimal("".join(parts) + ("." + fraction if fraction else ""))))
    return found


def read_number(raw, *, style: str | None, whole: bool = False, percent: bool = False):
    """A cell -> int/float by ``style`` ('vi', 'en' or None = only unambiguous values).

    ``percent``: a trailing % sign is allowed (the column holds a percentage).
    ``whole``: the column holds whole numbers; a fraction is refused. Raises CellError.
    """
    if isinstance(raw, (bool, dict, list)):
        raise CellError("not_a_number", value=raw, example=_example(whole))
    if isinstance(raw, PercentValue) and not percent:
        raise CellError("percent_sign", value=f"{raw:g}%")
    if isinstance(raw, (int, float)):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        return _finish(number, str(raw), whole)
    text = SPACES.sub(" ", str(raw)).strip()
    body = text
    if body.endswith("%"):
        if not percent:
            raise CellError("percent_sign", value=text)
        body = body[:-1].strip()
    sign = ""
    if body[:1] in "-+":
        sign, body = body[0].replace("+", ""), body[1:].strip()
    if " " in body:  # "1 890", "1 890,5", "1 890.5": spaces only ever group thousands
        parts = body.split(" ")
        last = re.fullmatch(r"(\d+)(?:[.,](\d+))?", parts[-1])
        if not last or not _groups_ok([*parts[:-1], last.group(1)]):
            raise CellError("not_a_number", value=text, example=_example(whole))
        fraction = "." + last.group(2) if last.group(2) else ""
        body = "".join(parts[:-1]) + last.group(1) + fraction
        readings = [("", Decimal(body))]
    else:
        readings = _readings(body)
    if not readings:
        raise CellError("not_a_number", value=text, example=_example(whole))
    if style:
        chosen = [n for s, n in readings if s in ("", style)]
        if not chosen:
            hint = _styled(readings[0][1], style)
            raise CellError(
                "number_style",
                value=text,
                style=style,
                style_example=STYLE_EXAMPLES[style],
                hint=hint,
            )
        return _finish(Decimal(sign + str(chosen[0])), text, whole)
    values = sorted({n for _, n in readings})
    if len(values) > 1:
        # Refused even when only one reading is whole: that would still be a guess.
        raise CellError(
            "ambiguous_number", value=text, first=_plain(values[-1]), second=_plain(values[0])
        )
    return _finish(Decimal(sign + str(values[0])), text, whole)


def _styled(number: Decimal, style: str) -> str:
    sep, mark = STYLES[style]
    whole, _, fraction = _plain(number).partition(".")
    grouped = f"{int(whole):,}".replace(",", sep)
    return grouped + (mark + fraction if fraction else "")


def _example(whole: bool) -> str:
    return "1890" if whole else "8.23"


def _finish(number: Decimal, shown: str, whole: bool):
    if not number.is_finite():
        raise CellError("not_a_number", value=shown, example=_example(whole))
    if number == number.to_integral_value():
        return int(number)
    if whole:
        raise CellError("whole_number", value=shown)
    return float(number)


_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")


def read_date(raw) -> str:
    """A date cell -> 'YYYY-MM-DD' ('' stays ''); day/month/year when written with / . -."""
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0, 0):
            raise CellError("date_time", value=raw.isoformat(sep=" "))
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw).strip()
    if not text:
        return ""
    midnight = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?", text)
    if midnight:
        return midnight.group(1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text  # the content rules check that it is a real date
    match = _DAY_FIRST.fullmatch(text)
    if not match:
        raise CellError("bad_date", value=text)
    day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        pass
    try:
        swapped = dt.date(year, day, month).isoformat()
    except ValueError:
        raise CellError("bad_date", value=text) from None
    raise CellError("month_first_date", value=text, iso=swapped)


def read_boolean(raw) -> int:
    """A yes/no cell: 1/0, TRUE/FALSE (Excel), có/không."""
    if isinstance(raw, bool):
        return int(raw)
    text = str(raw).strip().lower()
    if text in TRUE_WORDS:
        return 1
    if text in FALSE_WORDS:
        return 0
    return read_number(raw, style=None, whole=True)


def parse_styles(declared) -> dict[str, str]:
    """None, 'vi', {'value': 'vi'} or ['vi', 'value=en'] -> {column or '*': style}."""
    if not declared:
        return {}
    if isinstance(declared, str):
        declared = [declared]
    if isinstance(declared, dict):
        items = list(declared.items())
    else:
        items = [tuple(d.split("=", 1)) if "=" in d else ("*", d) for d in declared]
    out = {}
    for column, style in items:
        if style not in STYLES:
            raise ValueError(f"number style must be vi or en, not {style!r}")
        out[column.strip()] = style
    return out
