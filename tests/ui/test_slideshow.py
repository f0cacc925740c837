"""The attract loop on a fake clock: timing, looping, live content, language, build-once."""

import datetime as dt
from dataclasses import replace

import pytest

from kiosk.content.clock import FakeClock
from kiosk.content.model import Content, PlaylistEntry, Text
from kiosk.ui.fonts import load_fonts
from kiosk.ui.slideshow import HINT, Slideshow
from kiosk.ui.theme import theme_for_size

pytestmark = pytest.mark.gui


@pytest.fixture
def clock():
    return FakeClock(100.0)


@pytest.fixture
def show(qtbot, seed_content, clock):
    theme = theme_for_size(1280, 720, load_fonts())
    slideshow = Slideshow(seed_content, theme, clock=clock, today=lambda: dt.date(2026, 11, 22))
    qtbot.addWidget(slideshow)
    slideshow.resize(1280, 720)
    slideshow.show()
    qtbot.waitExposed(slideshow)
    slideshow.start()
    slideshow.timer.stop()  # the test drives time itself
    return slideshow


def _run_for(show, clock, seconds, step=0.5):
    for _ in range(int(seconds / step)):
        clock.advance(step)
        show.tick()


def test_slides_change_on_their_playlist_durations(show, clock):
    first = show.entries[0]
    assert show.current_index == 0 and show.current_entry is first
    _run_for(show, clock, first.duration_s - 1)
    assert show.current_index == 0
    assert show.bar.fraction == pytest.approx((first.duration_s - 1) / first.duration_s, abs=0.05)
    _run_for(show, clock, 1.5)
    assert show.current_index == 1
    assert show.bar.fraction < 0.1


def test_the_loop_wraps_and_reuses_every_slide(show, clock):
    total = sum(e.duration_s for e in show.entries)
    _run_for(show, clock, total)
    assert show.current_index == 0
    built = dict(show.slides)
    assert set(built) == {e.key for e in show.entries}
    _run_for(show, clock, total)
    assert show.current_index == 0
    assert all(show.slides[k] is built[k] for k in built)  # built once, never rebuilt
    assert show.stack.count() == len(built) + 1  # the slides and the holding label


def test_new_content_waits_for_the_next_slide(show, clock, seed_content):
    new_title = Text("Tiêu đề mới", "New title")
    playlist = tuple(
        replace(p, title=new_title) if p.key == "kpi_services" else p for p in seed_content.playlist
    )
    show.set_content(replace(seed_content, playlist=playlist, _index={}))
    assert show.current_slide.heading.text() != "Tiêu đề mới"  # not mid-slide
    _run_for(show, clock, show.entries[0].duration_s + 0.5)
    # New content restarts the loop at its first slide, built from the new snapshot.
    assert show.current_index == 0
    assert show.current_slide.heading.text() == "Tiêu đề mới"


def test_language_switch_reaches_every_built_slide(show, clock):
    _run_for(show, clock, show.entries[0].duration_s + 0.5)
    show.set_language("en")
    assert all(s.lang == "en" for s in show.slides.values())
    assert show.current_slide.footer.text().startswith("Source: ")


def test_restart_returns_to_the_first_slide_and_pause_stops_time(show, clock):
    _run_for(show, clock, show.entries[0].duration_s + 0.5)
    assert show.current_index == 1
    show.pause()
    _run_for(show, clock, 500)
    assert show.current_index == 1
    show.restart()
    assert show.current_index == 0 and show.running


def test_empty_playlist_shows_a_holding_screen(qtbot, clock):
    theme = theme_for_size(800, 450, load_fonts())
    show = Slideshow(
        Content(playlist=(PlaylistEntry("x", 1, "quote", "nope", 10),)), theme, clock=clock
    )
    qtbot.addWidget(show)
    show.start()
    assert show.current_entry is None
    assert show.stack.currentWidget() is show.empty
    show.tick()  # nothing to advance, no crash


def test_the_touch_hint_is_bilingual(show):
    assert show.hint.text() == HINT == "Chạm để khám phá · Touch to explore"


def test_freed_memory_is_returned_once_per_change_after_the_fade(qtbot, show, clock, monkeypatch):
    import kiosk.ui.slideshow as slideshow_module

    calls: list[float] = []
    monkeypatch.setattr(slideshow_module, "release_free_memory", lambda: calls.append(1) or 1.0)
    show.advance()
    assert show.overlay.pixmap is not None and calls == []  # not while the fade runs
    qtbot.waitUntil(lambda: show.overlay.pixmap is None, timeout=3000)
    assert calls == []  # not during the new slide's reveal either
    qtbot.waitUntil(lambda: calls == [1], timeout=3000)
    assert show.trims == 1


def test_release_free_memory_calls_glibc_malloc_trim():
    """How much it returns depends on the heap's history (measured in benchmarks/, not
    here); here: it really reaches glibc's malloc_trim, and is a no-op elsewhere."""
    import platform

    from kiosk.system.memory import release_free_memory

    took = release_free_memory()
    if platform.libc_ver()[0] != "glibc":
        assert took is None
    else:
        assert took is not None and 0 <= took < 1000


def test_the_shortest_and_longest_valid_durations_are_shown_exactly(qtbot, seed_content, clock):
    from kiosk.content.model import MAX_DURATION_S, MIN_DURATION_S

    first, second, *_ = sorted(seed_content.playlist, key=lambda e: e.position)
    playlist = (
        replace(first, duration_s=MIN_DURATION_S),
        replace(second, duration_s=MAX_DURATION_S),
    )
    content = replace(seed_content, playlist=playlist, _index={})
    theme = theme_for_size(1280, 720, load_fonts())
    show = Slideshow(content, theme, clock=clock, today=lambda: dt.date(2026, 11, 22))
    qtbot.addWidget(show)
    show.start()
    show.timer.stop()
    for index, seconds in enumerate((MIN_DURATION_S, MAX_DURATION_S)):
        assert show.current_index == index
        clock.advance(seconds - 0.01)
        show.tick()
        assert show.current_index == index, f"left after {seconds - 0.01} s"
        clock.advance(0.02)
        show.tick()
        assert show.current_index == (index + 1) % 2, f"still up after {seconds + 0.01} s"
