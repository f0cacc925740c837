"""UI strings of the explore screens: ``tr`` and ``has`` over the shared table.

Every string lives in ``kiosk.content.i18n.STRINGS`` (one table, both languages). ``tr``
is kept as the explore screens' short name for ``i18n.t``; a missing key raises at once so a
typo cannot put an empty button on the screen. Pure Python, no Qt.

Qt's own strings: the explore screens open no Qt dialog, menu or message box and show no
standard button text, so there is nothing of Qt's to translate (no QTranslator needed).
"""

from __future__ import annotations

from kiosk.content import i18n


def tr(key: str, lang: str, **values) -> str:
    """The string ``key`` in ``lang`` ("vi" or "en"), with ``{name}`` fields filled."""
    return i18n.t(key, lang, **values)


def has(key: str) -> bool:
    return i18n.has(key)
