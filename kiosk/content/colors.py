"""The kiosk's category colours and the form of a colour the content may give, no Qt.

(The WCAG contrast arithmetic only tests use lives in tests/support/wcag.py.)
"""

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
