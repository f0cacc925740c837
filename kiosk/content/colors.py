"""Colour arithmetic for accessibility checks (WCAG 2.x contrast), no Qt."""

from __future__ import annotations

import re

# Category colours for milestones and achievements, as the kiosk has always shown them;
# unknown categories get "other". Milestone categories take theirs from the content DB's
# categories table (seeded with these); achievements keep these.
CATEGORY_COLORS = {
    "ranking": "#38BDF8",
    "award": "#FBBF24",
    "recognition": "#FBBF24",
    "project": "#34D399",
    "policy": "#A78BFA",
    "event": "#F472B6",
    "infrastructure": "#34D399",
    "other": "#94A3B8",
}

HEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def _channel(value: int) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_color: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    h = hex_color.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_color!r}")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two colours, from 1 (none) to 21 (black on white)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)
