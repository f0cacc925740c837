"""The timeline's pure logic: filters, non-overlapping layout, bisect visibility, hit-tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
import time

import pytest

from kiosk.content.model import Milestone, Text
from kiosk.content.timeline import (
    LayoutParams,
    categories_in,
    filter_milestones,
    item_at,
    layout,
    neighbour,
    scroll_target,
    visible,
    visible_years,
    years_in,
)


def ms(key, date, precision="day", category="event"):
    return Milestone(
        key=key,
        date=dt.date.fromisoformat(date),
        precision=precision,
        title=Text(f"vi {key}", f"en {key}"),
        body=Text("", ""),
        category=category,
        source_key="s",
    )


def generated(n: int, seed: int = 7) -> list[Milestone]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(730))
        precision = rng.choice(["year", "month", "day"])
        if precision == "year":
            day = day.replace(month=1, day=1)
        elif precision == "month":
            day = day.replace(day=1)
        out.append(ms(f"m{i:04d}", day.isoformat(), precision, rng.choice(["event", "award"])))
    return out


SAMPLE = [
    ms("c", "2022-01-20"),
    ms("a", "2021-01-01", "year", "ranking"),
    ms("b", "2021-01-01", "year", "award"),
    ms("d", "2022-01-01", "year", "policy"),
    ms("z", "2020-01-01", "year", "policy"),
]


def test_filter_sorts_by_date_then_precision_then_key():
    keys = [m.key for m in filter_milestones(SAMPLE)]
    assert keys == ["z", "a", "b", "d", "c"]


def test_filter_by_year_and_category():
    assert [m.key for m in filter_milestones(SAMPLE, years={2022})] == ["d", "c"]
    assert [m.key for m in filter_milestones(SAMPLE, categories={"policy"})] == ["z", "d"]
    assert [m.key for m in filter_milestones(SAMPLE, {2021}, {"award"})] == ["b"]
    assert filter_milestones(SAMPLE, years=set()) == ()


def test_years_and_categories_present():
    assert years_in(SAMPLE) == (2020, 2021, 2022)
    assert categories_in(SAMPLE) == ("policy", "ranking", "award", "event")


def test_neighbour_stops_at_the_ends():
    order = filter_milestones(SAMPLE)
    assert neighbour(order, "a", 1).key == "b"
    assert neighbour(order, "a", -1).key == "z"
    assert neighbour(order, "z", -1) is None
    assert neighbour(order, "c", 1) is None
    assert neighbour(order, "missing", 1) is None


def _overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def test_cards_never_overlap_even_when_many_share_a_day():
    same_day = [ms(f"s{i}", "2021-06-01") for i in range(30)] + SAMPLE
    lay = layout(same_day)
    items = lay.items
    for i, a in enumerate(items):
        for b in items[i + 1 : i + 4]:
            assert not _overlap(a, b), (a.milestone.key, b.milestone.key)
    assert all(it.x + it.w <= lay.width for it in items)
    assert [it.x for it in items] == sorted(it.x for it in items)


def test_no_overlap_and_sorted_with_2000_generated():
    lay = layout(generated(2000))
    lanes: dict[int, int] = {}
    for it in lay.items:
        if it.lane in lanes:
            assert it.x >= lanes[it.lane] + lay.params.gap  # clear of the lane's last card
        lanes[it.lane] = it.x + it.w
    dates = [it.milestone.date for it in lay.items]
    assert dates == sorted(dates)


def test_year_markers_sit_before_their_years_first_card():
    lay = layout(SAMPLE)
    assert [y.year for y in lay.years] == [2020, 2021, 2022]
    for marker in lay.years:
        first = next(it for it in lay.items if it.milestone.date.year == marker.year)
        assert marker.x < first.x
        earlier = [it for it in lay.items if it.milestone.date.year < marker.year]
        assert all(it.x + it.w <= marker.x for it in earlier)


def test_visible_matches_brute_force():
    lay = layout(generated(500))
    rng = random.Random(1)
    for _ in range(200):
        x0 = rng.uniform(-500, lay.width + 500)
        x1 = x0 + rng.uniform(0, 3000)
        expected = [it for it in lay.items if it.x < x1 and it.x + it.w > x0]
        assert list(visible(lay, x0, x1)) == expected


def test_visible_with_2000_returns_a_handful_fast():
    lay = layout(generated(2000), LayoutParams())
    assert lay.width > 2000 * 200
    x0 = lay.width / 2
    shown = visible(lay, x0, x0 + 1920)
    assert 0 < len(shown) <= 12

    # Structurally O(log n): the cards are never walked, the edge lists are only probed.
    class Counting(tuple):
        probes = 0

        def __getitem__(self, i):
            Counting.probes += 1
            return tuple.__getitem__(self, i)

    class NoWalk(tuple):
        def __iter__(self):
            raise AssertionError("visible() walked every card")

    probed = dataclasses.replace(
        lay, items=NoWalk(lay.items), lefts=Counting(lay.lefts), rights=Counting(lay.rights)
    )
    for k in range(200):
        x = (k * 997) % lay.width
        assert list(visible(probed, x, x + 1920)) == list(visible(lay, x, x + 1920))
    assert Counting.probes / 200 <= 2 * (math.ceil(math.log2(2000)) + 1)
    started = time.process_time()
    for k in range(2000):
        visible(lay, (k * 997) % lay.width, (k * 997) % lay.width + 1920)
    assert (time.process_time() - started) / 2000 < 1e-3  # CPU time, generous for CI


def test_visible_years_window():
    lay = layout(SAMPLE)
    x = lay.years[1].x
    assert [y.year for y in visible_years(lay, x - 1, x + 1)] == [2021]


def test_item_at_hits_cards_and_misses_gaps():
    lay = layout(SAMPLE)
    for it in lay.items:
        hit = item_at(lay, it.x + it.w / 2, it.y + it.h / 2)
        assert hit is not None and hit.milestone.key == it.milestone.key
    assert item_at(lay, lay.items[0].x + 5, lay.line_y) is None  # the date line itself
    assert item_at(lay, -10, lay.items[0].y + 5) is None
    assert item_at(lay, lay.width + 10, lay.items[0].y + 5) is None


def test_layout_of_nothing_is_empty_but_valid():
    lay = layout([])
    assert lay.items == () and lay.years == ()
    assert visible(lay, 0, 1000) == ()
    assert item_at(lay, 10, 10) is None
    assert scroll_target(lay, 0, 1000) == 0


@pytest.mark.parametrize("index", [0, 2, 4])
def test_scroll_target_centres_a_card_within_range(index):
    lay = layout(generated(50))
    target = scroll_target(lay, index, 800)
    assert 0 <= target <= lay.width - 800
    middle = scroll_target(lay, 25, 800)
    assert middle == lay.items[25].anchor_x - 400


def test_four_lanes_for_tall_screens_never_overlap_and_use_every_lane():
    params = LayoutParams(height=1400, card_h=250, lanes=4)
    lay = layout(generated(400), params)
    assert {it.lane for it in lay.items} == {0, 1, 2, 3}
    for i, a in enumerate(lay.items):
        for b in lay.items[i + 1 : i + 8]:
            assert not _overlap(a, b), (a.milestone.key, b.milestone.key)
        assert a.y >= 0 and a.y + a.h <= lay.height
    # Four lanes pack twice as many cards into the same width as two.
    two = layout(generated(400), LayoutParams(height=1400, card_h=250, lanes=2))
    assert lay.width < two.width * 0.6


def test_lanes_other_than_two_or_four_are_refused():
    with pytest.raises(ValueError, match="lanes must be 2 or 4"):
        layout(SAMPLE, LayoutParams(lanes=3))


def test_chips_are_capped_so_the_filter_row_cannot_fill_the_screen():
    from kiosk.content.timeline import chip_categories, chip_years

    rows = [ms(f"y{y}", f"{y}-03-01") for y in range(2010, 2026)]
    rows += [ms(f"c{i}", "2021-05-01", category=f"cat{i % 14}") for i in range(60)]
    rows += [ms(f"top{i}", "2021-06-01", category="cat13") for i in range(5)]
    assert chip_years(rows) == tuple(range(2018, 2026))  # the 8 most recent
    cats = chip_categories(rows, limit=10)
    assert len(cats) == 10 and "cat13" in cats  # the most used survive
    assert list(cats) == [c for c in categories_in(rows) if c in cats]  # timeline order kept
    assert chip_categories(SAMPLE) == categories_in(SAMPLE)  # few: all of them
