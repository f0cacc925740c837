"""Colours, sizes and fonts for a lobby wall, scaled from the screen's size.

Every size in the UI is written for a 1080p screen and passed through ``Theme.px`` so a
4K panel gets twice the pixels and a portrait 1080x1920 panel the same type size with a
narrower layout. Colours are chosen for a dark room-filling screen, with text contrast
above WCAG AA (4.5:1) against every surface (checked in tests/ui/test_theme.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont

from kiosk.content.colors import CATEGORY_COLORS
from kiosk.ui.fonts import FALLBACK_FAMILY

# The smallest text a visitor is shown, in 1080p pixels: lobby screens are read from 1-3 m
# by people who did not plan to read them. Every font comes from ``Theme.font``, which
# never goes below it (tests/ui/test_type_scale.py measures the laid-out screens).
MIN_TEXT_PX = 24


@dataclass(frozen=True)
class Theme:
    """Palette, scale and font family for one screen size."""

    width: int = 1920
    height: int = 1080
    family: str = FALLBACK_FAMILY
    bg: str = "#0B1220"
    surface: str = "#15213A"
    surface_hi: str = "#22345A"
    text: str = "#F2F5FA"
    muted: str = "#AEB9CC"
    accent: str = "#38BDF8"
    accent2: str = "#FBBF24"
    good: str = "#34D399"
    track: str = "#26344F"  # unfilled part of rings and bars
    year_marker: str = "#F2F5FA"  # the timeline's years: unlike every category colour
    categories: dict = field(default_factory=lambda: dict(CATEGORY_COLORS))

    @property
    def scale(self) -> float:
        """Pixels per 1080p pixel: the short side over 1080."""
        return max(0.5, min(self.width, self.height) / 1080.0)

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def margin(self) -> int:
        """Outer margin of a slide: generous, lobby screens are watched from metres away."""
        return self.px(72 if not self.portrait else 56)

    def px(self, size: float) -> int:
        """Scale a size given for a 1080p screen to this screen."""
        return max(1, round(size * self.scale))

    def font(self, size_px: float, bold: bool = False) -> QFont:
        """The shipped family at ``size_px`` (1080p pixels, at least ``MIN_TEXT_PX``), scaled."""
        font = QFont(self.family)
        font.setPixelSize(self.px(max(size_px, MIN_TEXT_PX)))
        font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        # Hinting off keeps glyph shapes (and diacritic stacking) identical at every size.
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        return font

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))

    def category_color(self, category: str) -> str:
        return self.categories.get(category, self.categories["other"])


def theme_for_size(width: int, height: int, family: str | None = None) -> Theme:
    """The theme for a screen (or render target) of ``width`` x ``height`` pixels."""
    return Theme(width=int(width), height=int(height), family=family or FALLBACK_FAMILY)


def stylesheet(theme: Theme) -> str:
    """The few widget-level rules Qt needs; painting does the rest."""
    return (
        f"QWidget {{ background: {theme.bg}; color: {theme.text}; }}"
        f"QLabel {{ background: transparent; }}"
        f"QScrollArea {{ border: none; }}"
    )
