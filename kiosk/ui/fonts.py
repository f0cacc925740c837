"""Load the shipped Noto Sans so Vietnamese diacritics render the same on every PC.

Qt ships no fonts and a bare kiosk PC may have none with full Vietnamese coverage, so
the app registers the files in ``assets/fonts`` and uses that family everywhere.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase

from kiosk.system.paths import fonts_dir

log = logging.getLogger(__name__)

FALLBACK_FAMILY = "Noto Sans"
_loaded_family: str | None = None


def load_fonts() -> str:
    """Register every shipped font once and return the family name to use."""
    global _loaded_family
    if _loaded_family is not None:
        return _loaded_family
    family = None
    for path in sorted(fonts_dir().glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s; text may lack Vietnamese glyphs", path)
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families and family is None:
            family = families[0]
    if family is None:
        log.warning("no shipped font in %s; using the system %s", fonts_dir(), FALLBACK_FAMILY)
        family = FALLBACK_FAMILY
    _loaded_family = family
    return family
