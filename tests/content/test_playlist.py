"""Playlist logic: which slides run today, what each one shows, headings and source lines."""

import datetime as dt
from dataclasses import replace

from wcag import contrast_ratio

from kiosk.content.model import Content, Indicator, PlaylistEntry, Source, Text
from kiosk.content.playlist import (
    MAX_DURATION_S,
    MIN_DURATION_S,
    active_entries,
    duration_of,
    heading_of,
    next_index,
    ref_findings,
    resolve,
    source_line,
)

TODAY = dt.date(2026, 11, 22)


def _ind(key, value, kind="percent", group=""):
    return Indicator(
        key,
        Text(key, key),
        value,
        Text("%", "%"),
        kind,
        "2021",
        "s1",
        group_key=group,
        group_label=Text("Nhóm", "Group"),
    )


def _content(*entries):
    return Content(
        sources=(Source("s1", Text("Bài báo", "Article"), Text("Báo", "Paper"), "2022-01-24"),),
        indicators=(
            _ind("a", 97),
            _ind("b", 60),
            _ind("c", 1890, "count"),
            _ind("g1", 8.23, group="g"),
            _ind("g2", 14.6, group="g"),
        ),
        playlist=entries,
    )


def _entry(key, kind="kpi", ref="a", position=1, **kw):
    return PlaylistEntry(key, position, kind, ref, 10, **kw)


def test_entries_are_ordered_and_filtered_by_enabled_and_dates():
    content = _content(
        _entry("late", position=3),
        _entry("early", position=1),
        _entry("off", position=2, enabled=False),
        _entry("future", position=4, show_from=dt.date(2027, 1, 1)),
        _entry("past", position=5, show_until=dt.date(2026, 11, 21)),
        _entry("today_only", position=6, show_from=TODAY, show_until=TODAY),
    )
    assert [e.key for e in active_entries(content, TODAY)] == ["early", "late", "today_only"]


def test_entries_whose_ref_shows_nothing_are_skipped():
    content = _content(
        _entry("ok"),
        _entry("ghost", ref="nope", position=2),
        _entry("one_bar", kind="bars", ref="a", position=3),
    )
    assert [e.key for e in active_entries(content, TODAY)] == ["ok"]


def test_rings_keep_only_percentages_and_bars_take_a_group():
    content = _content()
    rings = resolve(_entry("r", kind="rings", ref="a,c,b"), content)
    assert [i.key for i in rings.indicators] == ["a", "b"]
    bars = resolve(_entry("b", kind="bars", ref="g"), content)
    assert [i.key for i in bars.indicators] == ["g1", "g2"]
    assert heading_of(bars).en == "Group"  # the group's label when the entry has no title


def test_durations_are_clamped_to_readable_bounds():
    assert duration_of(replace(_entry("x"), duration_s=0), 12) == 12
    assert duration_of(replace(_entry("x"), duration_s=1), 12) == MIN_DURATION_S
    assert duration_of(replace(_entry("x"), duration_s=10_000), 12) == MAX_DURATION_S
    assert next_index(2, 3) == 0 and next_index(0, 3) == 1 and next_index(0, 0) == 0


def test_source_line_in_both_languages(seed_content):
    data = resolve(seed_content.playlist[0], seed_content)
    vi = source_line(seed_content, data.source_keys, "vi")
    en = source_line(seed_content, data.source_keys, "en")
    assert vi.startswith("Nguồn: Chuyển đổi số: Đà Nẵng") and vi.endswith("24/01/2022")
    assert en.startswith("Source: Digital transformation") and en.endswith("24 January 2022")
    assert "not stated" not in en and "không ghi" not in vi


def test_every_seed_slide_resolves_with_a_source(seed_content):
    entries = active_entries(seed_content, TODAY)
    assert len(entries) == len([p for p in seed_content.playlist if p.enabled])
    kinds = {e.kind for e in entries}
    assert kinds == {"kpi", "rings", "bars", "ranking", "awards", "quote", "projects"}
    for entry in entries:
        data = resolve(entry, seed_content)
        assert data.source_keys, entry.key
        assert heading_of(data).vi or entry.kind == "quote"


def test_every_seed_project_is_on_a_slide(seed_content):
    shown = set()
    for entry in active_entries(seed_content, TODAY):
        shown |= {p.key for p in resolve(entry, seed_content).projects}
    assert shown == {p.key for p in seed_content.projects}


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48  # the classic near-miss
    assert contrast_ratio("#123456", "#123456") == 1.0


def test_resolution_says_what_it_could_not_use():
    content = _content()

    def findings(kind, ref):
        return [(f.code, f.what, f.value) for f in ref_findings(_entry("x", kind, ref), content)]

    assert findings("kpi", "a,c") == []
    assert findings("kpi", "a,zz") == [("unknown_ref", "indicator", "zz")]
    assert findings("kpi", "") == [("needs_indicators", "", "")]
    assert findings("rings", "a,c") == [("rings_not_percent", "", "c")]
    assert findings("bars", "g") == [] and findings("bars", "a,b") == []
    assert findings("bars", "nogroup") == [("unknown_ref", "indicator group", "nogroup")]
    assert findings("bars", "a") == [("slide_shows_nothing", "", "")]  # one bar is no comparison
    assert findings("quote", "q") == [("unknown_ref", "quote", "q")]
    assert findings("awards", "") == [("slide_shows_nothing", "", "")]  # no awards at all
    assert resolve(_entry("x", "kpi", "a,zz"), content).indicators[0].key == "a"


def test_every_ref_choice_offered_for_a_kind_is_one_its_slide_can_draw(seed_content):
    # The editors' choices (ref_options) and the drawing code (resolve) must agree: a row
    # offered for a kind draws without an "unknown" finding, and rows not offered do not.
    from kiosk.content.model import SLIDE_KINDS
    from kiosk.content.playlist import ref_options, resolve_checked

    for kind in SLIDE_KINDS:
        options = ref_options(kind, seed_content)
        assert options.choices, f"{kind}: nothing to choose from"
        for choice in options.choices:
            ref = choice.key
            if kind == "bars" and not choice.whole_group:
                other = next(c.key for c in options.choices if not c.whole_group and c != choice)
                ref = f"{choice.key},{other}"  # a comparison needs two bars
            data, findings = resolve_checked(_entry("e", kind, ref), seed_content)
            assert data is not None and not findings, (kind, choice.key, findings)
            assert choice.label.vi and choice.label.en, (kind, choice.key)


def test_ref_choices_follow_each_kinds_rule():
    from kiosk.content.playlist import ref_options

    content = _content()
    rings = ref_options("rings", content)
    assert [c.key for c in rings.choices] == ["a", "b", "g1", "g2"]  # percentages only
    bars = ref_options("bars", content)
    assert bars.choices[0].key == "g" and bars.choices[0].whole_group
    assert bars.many and not bars.empty_shows_all
    assert not ref_options("quote", content).many
    assert ref_options("awards", content).empty_shows_all
    assert ref_options("no-such-kind", content).choices == ()
