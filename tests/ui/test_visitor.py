"""The visitor controller in the real app (``build_kiosk``) under Xvfb, on a fake clock.

Touches are real Qt touch events sent through the window, as a panel delivers them, plus
mouse presses for panels that report themselves as a mouse. Time is a ``FakeClock``: the
idle timeout and countdown pass in a call, never in a sleep. Only QScroller's momentum runs
on real time (a quarter of a second, to see the strip glide).
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import random
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from realtime import real_wait

from kiosk.content.attract import State
from kiosk.content.clock import FakeClock
from kiosk.store import build_db, import_file
from kiosk.store.stats import StatsStore, default_stats_path
from kiosk.system.config import Settings
from kiosk.ui.app import build_kiosk

pytestmark = pytest.mark.gui

SEED = Path(__file__).resolve().parents[2] / "db"
IDLE, COUNTDOWN = 60.0, 10.0


@pytest.fixture(scope="module")
def dev():
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


def seed_db(folder: Path) -> Path:
    db = folder / "content.db"
    build_db(db, SEED)
    return db


def add_generated_milestones(db: Path, count: int) -> None:
    """Insert ``count`` milestones through the store's own import (validated, one commit)."""
    folder = db.parent / "generated"
    folder.mkdir()
    categories = ("event", "policy", "project", "award", "ranking")
    start = dt.date(2021, 1, 1)
    with open(folder / "milestones.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(
            ["key", "date", "precision", "title_vi", "title_en", "body_vi", "body_en"]
            + ["category", "source_key", "image"]
        )
        for i in range(count):
            day = start + dt.timedelta(days=(i * 730) // count)
            out.writerow(
                [f"gen_{i:04d}", day.isoformat(), "day", f"Mốc thử nghiệm số {i}",
                 f"Test milestone {i}", f"Nội dung thử nghiệm {i}", f"Test body {i}",
                 categories[i % len(categories)], "art003", ""]
            )  # fmt: skip
    import_file(db, folder / "milestones.csv")


@pytest.fixture(scope="module")
def built_dbs(tmp_path_factory) -> dict[str, Path]:
    """Each content DB built once per module; tests get their own copy."""
    seed = seed_db(tmp_path_factory.mktemp("seed"))
    big = seed_db(tmp_path_factory.mktemp("big"))
    add_generated_milestones(big, 2000)
    return {"seed": seed, "2000-milestones": big}


@pytest.fixture(params=["seed", "2000-milestones"])
def db_path(request, built_dbs, tmp_path) -> Path:
    # A copy per test: the visit statistics file is written beside it.
    db = tmp_path / "content.db"
    shutil.copyfile(built_dbs[request.param], db)
    return db


class Running:
    """A built, shown kiosk and shortcuts to its parts."""

    def __init__(self, qtbot, db: Path, **settings) -> None:
        self.clock = FakeClock(1000.0)
        options = {"idle_timeout_s": IDLE, "countdown_s": COUNTDOWN, **settings}
        self.settings = Settings(db_path=str(db), **options)
        self.kiosk = build_kiosk(self.settings, windowed=True, size=(1920, 1080), clock=self.clock)
        self.window = self.kiosk.window
        self.slideshow = self.kiosk.slideshow
        self.explore = self.kiosk.explore
        self.visitor = self.kiosk.visitor
        self.timeline = self.explore.timeline
        qtbot.addWidget(self.window)
        self.window.show()
        self.slideshow.start()
        qtbot.waitExposed(self.window)

    def close(self) -> None:
        self.visitor.close()
        self.kiosk.source.close()

    def walk_away(self, seconds: float, step: float = 0.25) -> None:
        """Let ``seconds`` pass on the fake clock, ticking as the QTimer would."""
        end = self.clock.now() + seconds
        while self.clock.now() < end - 1e-9:
            self.clock.advance(min(step, end - self.clock.now()))
            self.visitor.tick()


@pytest.fixture
def running(qtbot, db_path):
    kiosk = Running(qtbot, db_path)
    yield kiosk
    kiosk.close()


def touch_seq(widget, dev, steps):
    """Send (kind, point) steps as one finger, to the window, points in ``widget``'s
    coordinates: the events travel the real path from the window to the widget."""
    window = widget.window()
    for kind, point in steps:
        seq = QTest.touchEvent(window, dev)
        getattr(seq, kind)(0, widget.mapTo(window, point))
        seq.commit()
    QApplication.processEvents()


def tap(widget, dev, point: QPoint | None = None) -> None:
    point = point if point is not None else widget.rect().center()
    touch_seq(widget, dev, [("press", point), ("release", point)])


def drag(widget, dev, start: QPoint, dx: int, steps: int = 10, frame_ms: int = 16) -> None:
    touch_seq(widget, dev, [("press", start)])
    for i in range(1, steps + 1):
        real_wait(frame_ms)
        touch_seq(widget, dev, [("move", start + QPoint(dx * i // steps, 0))])
    touch_seq(widget, dev, [("release", start + QPoint(dx, 0))])


def card_point(timeline, key) -> QPoint:
    """Where milestone ``key``'s card is on the strip's viewport now."""
    view = timeline.view
    item = next(it for it in view.canvas.lay.items if it.milestone.key == key)
    x = item.x + item.w // 2 + view.canvas.dx - view.scroll_x()
    return QPoint(x, item.y + item.h // 2)


def visitor_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kiosk.visitor"]


# -- the "Done when" ---------------------------------------------------------------
def test_scripted_visitor_ends_back_in_the_vietnamese_attract_loop(qtbot, running, dev, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.visitor")
    k, explore, timeline = running, running.explore, running.timeline
    assert k.visitor.state is State.ATTRACT and k.window.in_attract
    k.slideshow.advance()  # the loop has moved on before the visitor arrives
    assert k.slideshow.current_index == 1

    # Touch the slideshow: explore home.
    tap(k.slideshow, dev)
    assert k.visitor.state is State.EXPLORE
    assert k.window.stack.currentWidget() is explore and explore.current_screen == "home"

    # Open the timeline.
    tap(explore.home.tiles["timeline"], dev)
    assert explore.current_screen == "timeline"

    # Drag it with momentum.
    view = timeline.view
    viewport = view.viewport()
    start = QPoint(viewport.width() - 200, viewport.height() // 2)
    drag(viewport, dev, start, -700)
    at_release = view.scroll_x()
    real_wait(250)
    if view.max_scroll() > 2000:  # enough strip to glide on (always with 2,000 milestones)
        assert at_release > 200  # followed the finger
        assert view.scroll_x() > at_release + 50  # and kept gliding after it left
    assert timeline.open_key is None  # a drag is not a tap
    qtbot.waitUntil(lambda: view.scroller.state().name == "Inactive", timeout=8000)

    # Open a 2021 milestone by tapping a card on screen where the strip came to rest.
    left = view.scroll_x() - view.canvas.dx
    on_screen = [
        item.milestone
        for item in view.canvas.lay.items
        if item.milestone.date.year == 2021
        and 100 < item.x + item.w // 2 - left < viewport.width() - 100
    ]
    assert on_screen, "no 2021 milestone on screen after the drag"
    first_2021 = on_screen[0]
    tap(viewport, dev, card_point(timeline, first_2021.key))
    assert timeline.open_key == first_2021.key
    qtbot.waitUntil(lambda: not timeline.card.animating, timeout=2000)

    # Swipe to the next.
    panel = timeline.card.panel
    centre = panel.rect().center()
    drag(panel, dev, centre + QPoint(200, 0), -400, steps=4, frame_ms=5)
    expected = timeline.order[timeline.order.index(first_2021) + 1]
    assert timeline.open_key == expected.key
    # The next card slides in; the visitor's next taps land on it once it stands still
    # (a button that moves between press and release does not click, by Qt's rules).
    qtbot.waitUntil(lambda: not timeline.card.animating, timeout=2000)

    # Switch to English: every screen and the slideshow behind.
    tap(explore.top_bar.lang_button, dev)
    assert explore.lang == "en" and timeline.lang == "en" and k.slideshow.lang == "en"
    assert explore.top_bar.lang_button.current == "en"
    shown = timeline.card.title_label.text().replace("\n", " ")
    assert shown.rstrip("…") in expected.title.en  # the open card switched too
    assert shown != expected.title.vi

    # Filter to 2022 (closing the card first, as a visitor would, with its big ✕).
    close = timeline.card.close_button
    tap(close, dev)
    assert not timeline.card.isVisible()
    chip = next(c for c in timeline.year_chips if c.value == 2022)
    tap(chip, dev)
    assert timeline.year == 2022 and all(m.date.year == 2022 for m in timeline.order)

    # Walk away: nothing happens until the timeout, then the countdown, then attract.
    k.walk_away(IDLE - 1)
    assert k.visitor.state is State.EXPLORE and not explore.countdown_visible
    k.walk_away(1)
    assert k.visitor.state is State.COUNTDOWN and explore.countdown_visible
    assert explore.countdown.text.startswith("Returning in 10 s")
    k.walk_away(COUNTDOWN)
    assert k.visitor.state is State.ATTRACT and k.window.in_attract
    assert k.slideshow.lang == "vi" and explore.lang == "vi" and timeline.lang == "vi"
    assert k.slideshow.current_index == 0 and k.slideshow.running
    assert explore.current_screen == "home" and timeline.year is None
    assert not explore.countdown_visible and not k.visitor.timer.isActive()
    assert visitor_lines(caplog) == [
        "state attract -> explore",
        "state explore -> countdown",
        "state countdown -> attract",
    ]


# -- touch manners -------------------------------------------------------------------------
@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_a_mouse_press_anywhere_opens_explore_too(running):
    k = running
    QTest.mouseClick(k.slideshow, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    assert k.visitor.state is State.EXPLORE and k.visitor.timer.isActive()


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_countdown_appears_and_a_touch_cancels_it(running, dev):
    k, explore = running, running.explore
    tap(k.slideshow, dev)
    tap(explore.home.tiles["indicators"], dev)
    k.walk_away(IDLE)
    assert explore.countdown_visible and k.visitor.state is State.COUNTDOWN
    k.walk_away(3.5)
    assert explore.countdown.seconds == 7  # 6.5 s left reads "7"
    tap(explore.countdown, dev, QPoint(10, 10))
    assert k.visitor.state is State.EXPLORE and not explore.countdown_visible
    assert explore.current_screen == "indicators"  # the visitor stays where they were
    k.walk_away(IDLE - 1)
    assert k.visitor.state is State.EXPLORE  # the full timeout runs again


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_fast_random_tapping_never_crashes_and_ends_in_attract(running, dev):
    k = running
    rng = random.Random(20211)
    width, height = k.window.width(), k.window.height()
    for i in range(200):
        point = QPoint(rng.randrange(width), rng.randrange(height))
        if i % 5 == 4:
            QTest.mouseClick(k.window.windowHandle(), Qt.MouseButton.LeftButton, pos=point)
        else:
            tap(k.window, dev, point)
        if i % 10 == 0:
            k.walk_away(rng.choice([0.5, 5, 30]))
        assert k.visitor.state in (State.EXPLORE, State.COUNTDOWN, State.ATTRACT)
    k.walk_away(IDLE + COUNTDOWN + 0.5)
    assert k.visitor.state is State.ATTRACT and k.window.in_attract
    assert k.slideshow.lang == "vi" and k.slideshow.current_index == 0


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_no_ticking_in_the_attract_loop(running, dev):
    k = running
    assert not k.visitor.timer.isActive()
    tap(k.slideshow, dev)
    assert k.visitor.timer.isActive() and k.visitor.timer.interval() == 250
    assert not k.slideshow.running  # paused under explore
    k.walk_away(IDLE + COUNTDOWN)
    assert not k.visitor.timer.isActive() and k.slideshow.running


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_english_default_is_restored_as_english(qtbot, db_path, dev):
    k = Running(qtbot, db_path, language="en")
    try:
        tap(k.slideshow, dev)
        assert k.explore.lang == "en"
        tap(k.explore.top_bar.lang_button, dev)
        assert k.explore.lang == "vi" and k.slideshow.lang == "vi"
        k.walk_away(IDLE + COUNTDOWN)
        assert k.explore.lang == "en" and k.slideshow.lang == "en"
    finally:
        k.close()


# -- statistics ------------------------------------------------------------------------------
@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_a_visit_is_counted_in_its_own_file(running, dev, db_path):
    k, explore = running, running.explore
    tap(k.slideshow, dev)
    tap(explore.home.tiles["timeline"], dev)
    k.timeline.open_milestone("m_dti")
    k.clock.advance(20)
    tap(explore.top_bar.home_button, dev)
    tap(explore.home.tiles["awards"], dev)
    k.walk_away(IDLE + COUNTDOWN)
    k.visitor.stats.close()
    stats_path = default_stats_path(db_path)
    assert stats_path.exists() and stats_path != db_path
    with StatsStore(stats_path, readonly=True) as store:
        summary = store.summary()
    assert summary["sessions"] == 1 and summary["idle_resets"] == 1
    assert summary["screens"] == {"timeline": 1, "awards": 1}
    assert summary["milestones"] == {"m_dti": 1}
    assert summary["median_s"] == pytest.approx(20.0)  # first touch to last, not the wait


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_old_visits_are_pruned_when_the_kiosk_starts(qtbot, db_path, caplog):
    today = dt.date.today()
    with StatsStore(default_stats_path(db_path)) as store:
        for days_ago in (800, 400, 1):
            day = today - dt.timedelta(days=days_ago)
            sid = store.start_session(f"{day.isoformat()}T10:00:00")
            store.screen_opened(sid, "timeline")
            store.end_session(sid, 30, "idle")
    caplog.set_level(logging.INFO, logger="kiosk.visitor")
    k = Running(qtbot, db_path, stats_keep_days=365)
    k.close()
    with StatsStore(default_stats_path(db_path), readonly=True) as store:
        summary = store.summary()
    assert list(summary["per_day"]) == [(today - dt.timedelta(days=1)).isoformat()]
    assert summary["screens"] == {"timeline": 1}
    assert "removed 2 session(s) older than 365 days" in caplog.text


class BrokenStats:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise OSError("disk full")

        return fail


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_a_broken_statistics_file_only_logs(running, dev, caplog):
    k = running
    k.visitor.stats.store = BrokenStats()
    caplog.set_level(logging.DEBUG, logger="kiosk.visitor")
    for _ in range(3):
        tap(k.slideshow, dev)
        tap(k.explore.home.tiles["about"], dev)
        k.walk_away(IDLE + COUNTDOWN)
        assert k.visitor.state is State.ATTRACT
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "disk full" in warnings[0].getMessage()
    assert k.visitor.stats.failures >= 3


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_the_configured_idle_timeout_and_countdown_are_used(qtbot, db_path, dev):
    # What `kiosk run --idle-timeout 5` and `countdown_s = 0` in the config give.
    k = Running(qtbot, db_path, idle_timeout_s=5.0, countdown_s=0.0)
    try:
        tap(k.slideshow, dev)
        k.walk_away(4.75)
        assert k.visitor.state is State.EXPLORE
        k.walk_away(0.25)
        assert k.visitor.state is State.ATTRACT and k.window.in_attract
    finally:
        k.close()


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_reduced_motion_shows_explore_charts_without_movement(qtbot, db_path, dev):
    k = Running(qtbot, db_path, reduced_motion=True)
    try:
        tap(k.slideshow, dev)
        tap(k.explore.home.tiles["indicators"], dev)
        slide = k.explore.indicators.current_slide
        assert slide is not None and not slide.animating and slide.progress == 1.0
        tap(k.explore.indicators.next_button, dev)
        assert not k.explore.indicators.current_slide.animating
    finally:
        k.close()


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_a_visit_open_when_the_kiosk_stops_is_ended_once(running, dev, db_path):
    k = running
    tap(k.slideshow, dev)
    k.clock.advance(12)
    tap(k.explore.home.tiles["about"], dev)
    k.kiosk.app.aboutToQuit.emit()  # what app.quit() / exit() sends
    k.visitor.close()  # a second close (the fixture's) changes nothing
    with StatsStore(default_stats_path(db_path), readonly=True) as store:
        summary = store.summary()
    assert summary["sessions"] == 1 and summary["ended"] == 1 and summary["idle_resets"] == 0
    assert summary["median_s"] == pytest.approx(12.0)


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
@pytest.mark.parametrize("how", ["touch", "mouse"])
def test_the_waking_touch_does_not_also_press_what_appears_under_it(running, dev, how):
    k, explore = running, running.explore
    # Learn where the Awards tile is, then go back to the attract loop.
    tap(k.slideshow, dev)
    tile = explore.home.tiles["awards"]
    spot = tile.mapTo(k.window, tile.rect().center())
    k.walk_away(IDLE + COUNTDOWN)
    assert k.window.in_attract

    def press_there():
        if how == "touch":
            tap(k.window, dev, spot)
        else:
            QTest.mouseClick(k.window.windowHandle(), Qt.MouseButton.LeftButton, pos=spot)
            QApplication.processEvents()

    press_there()  # wakes the kiosk: explore home appears once the finger lifts ...
    assert k.visitor.state is State.EXPLORE and explore.current_screen == "home"
    assert k.window.stack.currentWidget() is explore
    press_there()  # ... and only the next touch there opens the tile
    assert explore.current_screen == "awards"


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
@pytest.mark.parametrize("how", ["touch", "mouse"])
def test_the_touch_that_cancels_the_countdown_presses_nothing_beneath(running, dev, how):
    k, explore = running, running.explore
    tap(k.slideshow, dev)
    tap(explore.home.tiles["indicators"], dev)
    browser = explore.indicators
    button = browser.next_button
    spot = button.mapTo(k.window, button.rect().center())
    k.walk_away(IDLE)
    assert explore.countdown_visible
    if how == "touch":
        tap(k.window, dev, spot)
    else:
        QTest.mouseClick(k.window.windowHandle(), Qt.MouseButton.LeftButton, pos=spot)
        QApplication.processEvents()
    assert k.visitor.state is State.EXPLORE and not explore.countdown_visible
    assert browser.current == 0  # the Next button under the overlay was not pressed
    tap(k.window, dev, spot)
    assert browser.current == 1  # the next touch there is a normal press


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_back_closes_an_open_card_before_leaving_the_timeline(running, dev):
    k, explore, timeline = running, running.explore, running.timeline
    tap(k.slideshow, dev)
    tap(explore.home.tiles["timeline"], dev)
    timeline.open_milestone("m_dti")
    tap(explore.top_bar.back_button, dev)
    assert explore.current_screen == "timeline" and timeline.open_key is None
    tap(explore.top_bar.back_button, dev)
    assert explore.current_screen == "home"


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_months_of_visits_keep_memory_bounded(running):
    k = running
    for _ in range(150):  # 600 state changes
        k.visitor.touch()
        k.walk_away(IDLE + COUNTDOWN, step=IDLE / 2)
    assert k.visitor.state is State.ATTRACT
    assert len(k.visitor.transitions) == 200  # only the latest are kept
    assert k.explore._history == []


# -- explore mode built in steps after the first frame (as kiosk run does) ---------------------
def staged_kiosk(qtbot, db: Path):
    """A shown kiosk whose explore mode is attached as ``run_kiosk`` does: staged."""
    from kiosk.ui.app import attach_explore_mode

    settings = Settings(db_path=str(db), idle_timeout_s=IDLE, countdown_s=COUNTDOWN)
    k = build_kiosk(settings, windowed=True, size=(1920, 1080), clock=FakeClock(1000.0),
                    attach_explore=False)  # fmt: skip
    qtbot.addWidget(k.window)
    k.window.show()
    k.slideshow.start()
    qtbot.waitExposed(k.window)
    attach_explore_mode(k)
    return k, k.explore, k.visitor


def test_a_touch_while_explore_mode_is_being_built_opens_it(qtbot, db_path, dev):
    k, explore, visitor = staged_kiosk(qtbot, db_path)
    try:
        assert not explore.built  # the screens come over the next event-loop turns
        # The finger goes down before they are: that touch builds the rest at once.
        point = k.slideshow.mapTo(k.window, k.slideshow.rect().center())
        QTest.touchEvent(k.window, dev).press(0, point).commit()
        assert explore.built and visitor.state is State.EXPLORE
        assert k.window.in_attract  # the screen changes when the finger lifts
        QTest.touchEvent(k.window, dev).release(0, point).commit()
        QApplication.processEvents()
        assert k.window.stack.currentWidget() is explore and explore.current_screen == "home"
        assert [t.action.name for t in visitor.transitions] == ["OPEN_EXPLORE"]
        tap(explore.home.tiles["timeline"], dev)
        assert explore.current_screen == "timeline"
    finally:
        visitor.close()
        k.source.close()


@pytest.mark.parametrize("db_path", ["seed"], indirect=True)
def test_explore_mode_finishes_building_by_itself_and_then_works(qtbot, db_path, dev):
    k, explore, visitor = staged_kiosk(qtbot, db_path)
    try:
        assert not explore.built
        qtbot.waitUntil(lambda: explore.built, timeout=10000)
        assert visitor.state is State.ATTRACT and k.window.in_attract  # building opened nothing
        # Laid out while hidden, at its page's size: the first touch does not wait for that.
        assert explore.size() == k.window.stack.size()
        assert explore.stack.height() == explore.height() - explore.top_bar.height()
        tap(k.slideshow, dev)
        assert visitor.state is State.EXPLORE and k.window.stack.currentWidget() is explore
        tap(explore.home.tiles["indicators"], dev)
        assert explore.current_screen == "indicators"
    finally:
        visitor.close()
        k.source.close()
