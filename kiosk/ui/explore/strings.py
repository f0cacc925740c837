"""UI strings of the explore screens: the shared table first, then this module's own block.

``tr(key, lang)`` looks a key up in ``kiosk.content.i18n`` (the shared table of every UI
string) and, for the few strings only explore mode uses, in ``OWN_STRINGS`` below. A
missing key raises at once so a typo cannot put an empty button on the screen. Pure
Python, no Qt.

Qt's own strings: the explore screens open no Qt dialog, menu or message box and show no
standard button text, so there is nothing of Qt's to translate (no QTranslator needed).
"""

from __future__ import annotations

from kiosk.content import i18n

# ---- strings only explore mode uses (kept here so the shared table stays A1's) ----------
OWN_STRINGS: dict[str, tuple[str, str]] = {
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
}


def tr(key: str, lang: str, **values) -> str:
    """The string ``key`` in ``lang`` ("vi" or "en"), with ``{name}`` fields filled."""
    pair = OWN_STRINGS.get(key)
    if pair is None:
        return i18n.t(key, lang, **values)
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in OWN_STRINGS or i18n.has(key)
