"""Every UI string of the touch screens in Vietnamese and English, and date formatting.

These are labels of the interface, not facts: facts (titles, bodies, figures) come from the
content DB in both languages. ``t(key, lang, **fmt)`` returns one string; a missing key
raises ``KeyError`` at once so a typo cannot put an empty button on the screen.

``format_date`` prints a milestone's date exactly as precisely as the source gives it and
never more: a year-precision date never shows a month or a day.

Pure Python, no Qt.
"""

from __future__ import annotations

import datetime as dt

from kiosk.content.model import DATE_PRECISIONS, Lang

# key -> (vi, en). Grouped by where the string appears.
STRINGS: dict[str, tuple[str, str]] = {
    # Explore home tiles
    "tile.timeline": ("Dòng thời gian", "Timeline"),
    "tile.indicators": ("Chỉ số", "Indicators"),
    "tile.awards": ("Giải thưởng và xếp hạng", "Awards and rankings"),
    "tile.about": ("Về chương trình", "About the programme"),
    # The attract-loop hint is bilingual in both languages: a visitor may not read either.
    "hint.explore": ("Chạm để khám phá · Touch to explore", "Touch to explore · Chạm để khám phá"),
    # The holding screen (nothing to show): its line, the one shown when the content is
    # being fixed, and what a touch on it says. Both languages in each: nobody has chosen one.
    "holding.title": ("Đà Nẵng · Chuyển đổi số", "Da Nang · Digital transformation"),
    "holding.unavailable": (
        "Nội dung đang được cập nhật · Content is being updated",
        "Content is being updated · Nội dung đang được cập nhật",
    ),
    "holding.back_soon": (
        "Sẽ sớm trở lại · Back soon",
        "Back soon · Sẽ sớm trở lại",
    ),
    # The staff PIN pad (staff only; Vietnamese first, English for a visiting technician)
    "pin.title": (
        "Nhân viên · Staff: nhập mã PIN · enter PIN",
        "Staff · Nhân viên: enter PIN · nhập mã PIN",
    ),
    "pin.cancel": ("Huỷ · Cancel", "Cancel · Huỷ"),
    "pin.wrong": ("Sai mã PIN · Wrong PIN", "Wrong PIN · Sai mã PIN"),
    "pin.locked": (
        "Đã khoá {seconds:.0f} giây · Locked for {seconds:.0f} s",
        "Locked for {seconds:.0f} s · Đã khoá {seconds:.0f} giây",
    ),
    # Idle countdown
    "countdown.title": ("Trở về trình chiếu sau {n} giây", "Returning to the slideshow in {n} s"),
    # Navigation
    "nav.home": ("Trang chủ", "Home"),
    "nav.back": ("Quay lại", "Back"),
    "nav.next": ("Tiếp", "Next"),
    "nav.previous": ("Trước", "Previous"),
    # Language toggle: each half names its language by its short code.
    "lang.vi": ("VI", "VI"),
    "lang.en": ("EN", "EN"),
    # Timeline
    "timeline.summary": ("{n} mốc · {span}", "{n} milestones · {span}"),
    "timeline.summary.one": ("1 mốc · {span}", "1 milestone · {span}"),
    "timeline.summary.none": ("Không có mốc nào", "No milestones"),
    "timeline.hint": (
        "Kéo để xem thêm · Chạm vào một mốc để đọc chi tiết",
        "Drag to see more · Tap a milestone to read more",
    ),
    "timeline.hint.tap": ("Chạm vào một mốc để đọc chi tiết", "Tap a milestone to read more"),
    "timeline.empty": (
        "Không có mốc nào phù hợp bộ lọc · Hãy chọn bộ lọc khác",
        "No milestone matches the filter · Try another one",
    ),
    "card.swipe": (
        "Vuốt sang trái hoặc phải để xem mốc khác",
        "Swipe left or right for other milestones",
    ),
    "card.position": ("{n} / {total}", "{n} / {total}"),
    # Filter chips
    "filter.all": ("Tất cả", "All"),
    # Source line ("Nguồn: <article title>")
    "source.line": ("Nguồn: {title}", "Source: {title}"),
    "source.published": ("đăng ngày {date}", "published {date}"),
    "source.unknown": ("Không rõ nguồn", "Source not stated"),
    # Milestone categories (every category in db/milestones.csv and the theme's palette)
    "category.policy": ("Chủ trương", "Policy"),
    "category.ranking": ("Xếp hạng", "Ranking"),
    "category.award": ("Giải thưởng", "Award"),
    "category.recognition": ("Ghi nhận", "Recognition"),
    "category.event": ("Sự kiện", "Event"),
    "category.project": ("Dự án", "Project"),
    "category.infrastructure": ("Hạ tầng", "Infrastructure"),
    "category.other": ("Khác", "Other"),
    # Kinds of achievements
    "achievement.ranking": ("Xếp hạng", "Ranking"),
    "achievement.award": ("Giải thưởng", "Award"),
    "achievement.recognition": ("Ghi nhận", "Recognition"),
    # Kinds of statements (About the programme)
    "statement.context": ("Bối cảnh", "Context"),
    "statement.theme": ("Chủ đề năm 2022", "The 2022 theme"),
    "statement.challenge": ("Hạn chế, thách thức", "Shortcomings and challenges"),
    "statement.direction": ("Định hướng", "Directions"),
    "statement.other": ("Thông tin khác", "Other information"),
    # Qualifiers before a figure ("gần 60 %", "more than 20 solutions")
    "qualifier.approx": ("gần", "nearly"),
    "qualifier.over": ("hơn", "more than"),
    # Quotes
    "quote.reported": ("(lời thuật lại)", "(reported speech)"),
    # Indicator pages in explore mode: the context of one figure, from the content only
    "period.figures": ("Số liệu {when}", "Figures for {when}"),
    "indicator.national": ("So với cả nước: {note}", "Compared with the country: {note}"),
    "indicator.related": ("Các số liệu khác {when}", "More figures for {when}"),
    # Award pages: how many cards a page holds (the cards show what they are)
    "count.award": ("{n} giải thưởng năm {years}", "{n} awards in {years}"),
    "count.recognition": ("{n} ghi nhận năm {years}", "{n} recognitions in {years}"),
    "count.ranking": ("{n} xếp hạng năm {years}", "{n} rankings in {years}"),
    # Explore mode: home tiles' hints, home heading, empty screens, About groups, the
    # countdown (both languages at once: the next visitor may read only the other one)
    # One-line hints under the home tiles
    "tile.timeline.hint": ("Các dấu mốc {years}", "Milestones {years}"),
    "tile.indicators.hint": ("Số liệu chuyển đổi số", "Digital transformation figures"),
    "tile.awards.hint": ("Ghi nhận năm {years}", "Recognition in {years}"),
    "tile.about.hint": ("Bối cảnh, thách thức, định hướng", "Context, challenges, directions"),
    "home.title": ("Chuyển đổi số Đà Nẵng {years}", "Da Nang digital transformation {years}"),
    "home.title.plain": ("Chuyển đổi số Đà Nẵng", "Da Nang digital transformation"),
    "home.hint": ("Chọn một mục để khám phá", "Choose a topic to explore"),
    # A chart screen with nothing in the DB to show
    "explore.empty": ("Chưa có nội dung cho mục này", "Nothing to show here yet"),
    # About screen groups beyond the statements
    "about.projects": ("Nhiệm vụ, dự án năm 2022", "2022 projects and tasks"),
    "about.quotes": ("Phát biểu", "In their words"),
    "about.sources": ("Nguồn", "Sources"),
    # The countdown names both languages, the current one first: the visitor who walked
    # away may have switched language, and the next one may read only the other.
    "countdown.both": (
        "Trở về trình chiếu sau {n} giây · Returning in {n} s",
        "Returning in {n} s · Trở về trình chiếu sau {n} giây",
    ),
    "countdown.stay.both": (
        "Chạm để ở lại · Touch to stay",
        "Touch to stay · Chạm để ở lại",
    ),
    # Heading of a page of rankings (years from the data)
    "heading.ranking": ("Xếp hạng năm {years}", "Rankings in {years}"),
    # Slides: the heading of a slide whose playlist entry and data give none, per kind
    "slide.kpi": ("Số liệu nổi bật", "Key figures"),
    "slide.rings": ("Kết nối số", "Digital connectivity"),
    "slide.bars": ("So sánh", "Comparison"),
    "slide.ranking": ("Xếp hạng chuyển đổi số", "Digital transformation ranking"),
    "slide.awards": ("Giải thưởng và ghi nhận", "Awards and recognition"),
    "slide.projects": ("Nhiệm vụ, dự án năm 2022", "2022 projects and tasks"),
    # Slides: a rank on a ranking card, the mark on a reported (not verbatim) quote
    "rank.short": ("Hạng {rank}", "No. {rank}"),
    "quote.reported.mark": ("Lời tường thuật", "Reported speech"),
    # Dates
    "date.year": ("năm {year}", "{year}"),
    "date.month": ("tháng {month}/{year}", "{month_name} {year}"),
    "date.day": ("{day:02d}/{month:02d}/{year}", "{day} {month_name} {year}"),
}

# Strings that are rightly the same in both languages (codes, numbers-only patterns).
SAME_IN_BOTH = frozenset({"lang.vi", "lang.en", "card.position"})

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

PRECISIONS = DATE_PRECISIONS


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def t(key: str, lang: Lang | str, **fmt) -> str:
    """The UI string ``key`` in ``lang`` ("vi" or "en"), with ``{name}`` fields filled."""
    try:
        pair = STRINGS[key]
    except KeyError:
        raise KeyError(f"no UI string {key!r}: add it to kiosk/content/i18n.py STRINGS") from None
    text = _pick(pair, lang)
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    """Whether ``key`` is a known UI string."""
    return key in STRINGS


def category_name(category: str, lang: Lang | str) -> str:
    """A milestone/achievement category's name; a category staff invented shows as written.

    Unknown categories are humanised rather than lumped into "Other" so two new categories
    still give two distinguishable filter chips.
    """
    key = f"category.{category}"
    if key in STRINGS:
        return t(key, lang)
    human = category.replace("_", " ").strip()
    return human[:1].upper() + human[1:] if human else t("category.other", lang)


def statement_name(category: str, lang: Lang | str) -> str:
    """The heading for a group of statements (context, theme, challenge, direction)."""
    key = f"statement.{category}"
    return t(key if key in STRINGS else "statement.other", lang)


def achievement_kind(category: str, lang: Lang | str) -> str:
    """ "Xếp hạng"/"Ranking", "Giải thưởng"/"Award", "Ghi nhận"/"Recognition"."""
    key = f"achievement.{category}"
    return t(key if key in STRINGS else "category.other", lang)


def format_date(date: dt.date, precision: str, lang: Lang | str) -> str:
    """A date as precise as its source and no more.

    vi: "năm 2021", "tháng 1/2022", "20/01/2022"; en: "2021", "January 2022", "20 January 2022".
    """
    if precision not in PRECISIONS:
        raise ValueError(
            f"unknown date precision {precision!r}: use one of {', '.join(PRECISIONS)}"
        )
    values = {"year": date.year}
    if precision in ("month", "day"):
        values["month"] = date.month
        values["month_name"] = _MONTHS_EN[date.month - 1]
    if precision == "day":
        values["day"] = date.day
    return t(f"date.{precision}", lang, **values)


def period_text(period: str, lang: Lang | str) -> str:
    """An indicator's period as words: "2021" -> "năm 2021"/"2021", "01/2022" ->
    "tháng 1/2022"/"January 2022"; anything else as stored."""
    text = period.strip()
    try:
        if text.isdigit() and len(text) == 4:
            return format_date(dt.date(int(text), 1, 1), "year", lang)
        month, year = text.split("/")
        return format_date(dt.date(int(year), int(month), 1), "month", lang)
    except ValueError:
        return text


def year_label(year: int, lang: Lang | str) -> str:
    """A year marker or chip: the bare number reads the same in both languages."""
    return str(year)


def source_line(title: str, lang: Lang | str) -> str:
    """ "Nguồn: <title>" / "Source: <title>", or a plain note when the title is unknown."""
    return t("source.line", lang, title=title) if title else t("source.unknown", lang)
