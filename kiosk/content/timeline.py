"""The touch timeline's logic: filtering, layout, visibility and hit-testing. Pure, no Qt.

Milestones are laid out left to right in date order on one horizontal date line. Cards
take turns over ``lanes`` lanes (2: above and below the line; 4 on a tall portrait screen:
near and far on each side), each card ``1/lanes`` of a card-plus-gap after the previous
one, so cards in one lane are a full card plus a gap apart and never overlap however many
milestones share a year or a month. With 4 lanes a far card's connector falls in the gap
between two near cards. A new year starts after an extra gap that holds its year marker.

``visible`` finds the cards that intersect a horizontal window by binary search over the
cards' left and right edges, so with 2,000 milestones a frame costs O(log n + visible).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.content.i18n import category_name
from kiosk.content.model import Content, Milestone


def sort_key(m: Milestone) -> tuple:
    # Same date: the more general item (year before month before day) first, then by key
    # so the order is stable across reloads.
    return (m.date, {"year": 0, "month": 1, "day": 2}.get(m.precision, 3), m.key)


def filter_milestones(
    milestones: Iterable[Milestone],
    years: Iterable[int] | None = None,
    categories: Iterable[str] | None = None,
) -> tuple[Milestone, ...]:
    """Milestones in date order, keeping only the given years / categories (None = all)."""
    year_set = None if years is None else set(years)
    cat_set = None if categories is None else set(categories)
    kept = (
        m
        for m in milestones
        if (year_set is None or m.date.year in year_set)
        and (cat_set is None or m.category in cat_set)
    )
    return tuple(sorted(kept, key=sort_key))


def showing(milestones: Iterable[Milestone], day: dt.date) -> tuple[Milestone, ...]:
    """The milestones whose show_from / show_until window includes ``day``."""
    return tuple(m for m in milestones if m.showing_on(day))


def category_label(content: Content, key: str, lang: str) -> str:
    """A category's name from the content's categories table; a category missing from it
    (content that bypassed the validator) falls back to the built-in names."""
    category = content.category(key)
    if category is not None and category.name.get(lang):
        return category.name.get(lang)
    return category_name(key, lang)


def category_colour(content: Content, key: str) -> str | None:
    """A category's colour from the content, or None (the theme's colour then)."""
    category = content.category(key)
    return category.color if category is not None and category.color else None


def years_in(milestones: Iterable[Milestone]) -> tuple[int, ...]:
    """The years that have at least one milestone, ascending."""
    return tuple(sorted({m.date.year for m in milestones}))


def categories_in(milestones: Iterable[Milestone]) -> tuple[str, ...]:
    """The categories present, in order of first appearance on the timeline."""
    seen: dict[str, None] = {}
    for m in sorted(milestones, key=sort_key):
        seen.setdefault(m.category, None)
    return tuple(seen)


# A filter row that wraps onto many lines would push the strip off the screen. Staff may
# add years and categories; beyond these counts the rest stay reachable under "All".
MAX_YEAR_CHIPS = 8
MAX_CATEGORY_CHIPS = 10


def chip_years(milestones: Iterable[Milestone], limit: int = MAX_YEAR_CHIPS) -> tuple[int, ...]:
    """The years to offer as filter chips: all of them, or the ``limit`` most recent."""
    return years_in(milestones)[-limit:] if limit > 0 else ()


def chip_categories(
    milestones: Iterable[Milestone], limit: int = MAX_CATEGORY_CHIPS
) -> tuple[str, ...]:
    """Categories to offer as chips: the ``limit`` most used, in timeline order."""
    rows = list(milestones)
    ordered = categories_in(rows)
    if len(ordered) <= limit:
        return ordered
    counts: dict[str, int] = {}
    for m in rows:
        counts[m.category] = counts.get(m.category, 0) + 1
    keep = set(sorted(ordered, key=lambda c: (-counts[c], ordered.index(c)))[:limit])
    return tuple(c for c in ordered if c in keep)


def neighbour(order: tuple[Milestone, ...], key: str, step: int) -> Milestone | None:
    """The milestone ``step`` places from ``key`` in ``order`` (+1 next, -1 previous).

    None at either end (the card does not wrap around: a visitor swiping past the last
    milestone should feel the end, not jump back to 2020) or when ``key`` is not there.
    """
    for i, m in enumerate(order):
        if m.key == key:
            j = i + step
            return order[j] if 0 <= j < len(order) else None
    return None


@dataclass(frozen=True, slots=True)
class LayoutParams:
    """Sizes in screen pixels (the UI scales them from the theme)."""

    height: int = 700  # the whole strip's height
    card_w: int = 420
    card_h: int = 230
    gap: int = 32  # between two cards in the same lane
    year_gap: int = 160  # extra space before a new year, where its marker sits
    margin: int = 72  # left and right of the first and last card
    connector: int = 40  # from the date line to a card
    lanes: int = 2  # 2 (above/below) or 4 (near and far on each side, for tall screens)
    lane_gap: int = 24  # between a near and a far lane


@dataclass(frozen=True, slots=True)
class Placed:
    """One milestone's card on the strip."""

    index: int  # position in the filtered order
    milestone: Milestone
    x: int  # card's left edge
    y: int  # card's top edge
    w: int
    h: int
    anchor_x: int  # where the card meets the date line
    lane: int  # 0 above the line, 1 below; with 4 lanes 2 far above, 3 far below

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h


@dataclass(frozen=True, slots=True)
class YearMarker:
    year: int
    x: int  # where the marker is drawn on the date line


@dataclass(frozen=True)
class TimelineLayout:
    """Cards and year markers of a filtered milestone list, and the strip's total size."""

    items: tuple[Placed, ...]
    years: tuple[YearMarker, ...]
    width: int
    height: int
    line_y: int
    params: LayoutParams
    # Sorted edge lists for bisect; built in layout().
    lefts: tuple[int, ...] = ()
    rights: tuple[int, ...] = ()

    def index_of(self, key: str) -> int | None:
        for item in self.items:
            if item.milestone.key == key:
                return item.index
        return None


def layout(milestones: Iterable[Milestone], params: LayoutParams | None = None) -> TimelineLayout:
    """Place the milestones (sorted here, so callers may pass them in any order)."""
    p = params or LayoutParams()
    if p.lanes not in (2, 4):
        raise ValueError(f"lanes must be 2 or 4, not {p.lanes}")
    ordered = sorted(milestones, key=sort_key)
    line_y = p.height // 2
    step = (p.card_w + p.gap) // p.lanes  # neighbours take turns over the lanes
    tops = [
        line_y - p.connector - p.card_h,  # near, above
        line_y + p.connector,  # near, below
        line_y - p.connector - 2 * p.card_h - p.lane_gap,  # far, above
        line_y + p.connector + p.card_h + p.lane_gap,  # far, below
    ]
    items: list[Placed] = []
    years: list[YearMarker] = []
    x = p.margin
    last_year = None
    last_lane_x: list[int | None] = [None] * p.lanes  # each lane's last left edge
    for i, m in enumerate(ordered):
        if m.date.year != last_year:
            if last_year is not None:
                # Start the new year clear of both lanes' last cards, then its gap.
                x = max(v for v in last_lane_x if v is not None) + p.card_w + p.gap
            years.append(YearMarker(m.date.year, x))
            x += p.year_gap
            last_year = m.date.year
            lane = 0
        else:
            lane = (items[-1].lane + 1) % p.lanes
            x = items[-1].x + step
            prev_same = last_lane_x[lane]
            if prev_same is not None and x < prev_same + p.card_w + p.gap:
                x = prev_same + p.card_w + p.gap
        y = tops[lane]
        items.append(Placed(i, m, x, y, p.card_w, p.card_h, x + p.card_w // 2, lane))
        last_lane_x[lane] = x
    right = max((it.x + it.w for it in items), default=p.margin)
    width = right + p.margin
    return TimelineLayout(
        items=tuple(items),
        years=tuple(years),
        width=width,
        height=p.height,
        line_y=line_y,
        params=p,
        lefts=tuple(it.x for it in items),
        rights=tuple(it.x + it.w for it in items),
    )


def visible(lay: TimelineLayout, x0: float, x1: float) -> tuple[Placed, ...]:
    """Cards that intersect the horizontal window [x0, x1), found by binary search.

    Left edges ascend (cards are placed left to right) and so do right edges (every card
    has the same width), so the first card ending after x0 and the first card starting at
    or after x1 bound the answer.
    """
    first = bisect.bisect_right(lay.rights, x0)
    last = bisect.bisect_left(lay.lefts, x1)
    return lay.items[first:last]


def visible_years(lay: TimelineLayout, x0: float, x1: float, pad: float = 0) -> tuple:
    """Year markers within the window (there are few; a linear pass is fine)."""
    return tuple(y for y in lay.years if x0 - pad <= y.x < x1 + pad)


def item_at(lay: TimelineLayout, x: float, y: float) -> Placed | None:
    """The card under the point (strip coordinates), or None."""
    for item in visible(lay, x, x + 1):
        if item.contains(x, y):
            return item
    return None


def scroll_target(lay: TimelineLayout, index: int, viewport_w: int) -> int:
    """The scroll offset that centres card ``index`` in a viewport ``viewport_w`` wide."""
    if not lay.items:
        return 0
    item = lay.items[max(0, min(index, len(lay.items) - 1))]
    target = item.anchor_x - viewport_w // 2
    return max(0, min(target, max(0, lay.width - viewport_w)))
