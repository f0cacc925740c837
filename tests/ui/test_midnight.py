"""Schedules move at midnight: a slide shown until today leaves and one shown from tomorrow
joins at the first slide change of the new day, without a restart or a content change."""

import datetime as dt
import shutil
import sqlite3

import pytest

from kiosk.content.clock import FakeClock
from kiosk.system.config import Settings
from kiosk.ui.app import build_kiosk, today_in

pytestmark = pytest.mark.gui

DAY = dt.date(2026, 12, 2)


@pytest.fixture
def kiosk(qtbot, tmp_path, seed_db_path):
    db = tmp_path / "content.db"
    shutil.copy(seed_db_path, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE playlist SET show_until = ? WHERE key = 'kpi_services'", (str(DAY),))
    conn.execute(
        "UPDATE playlist SET show_from = ? WHERE key = 'quote_thach'", (str(DAY + dt.timedelta(1)),)
    )
    conn.commit()
    conn.close()
    day = {"today": DAY}
    k = build_kiosk(
        Settings(db_path=str(db)),
        windowed=True,
        size=(960, 540),
        clock=FakeClock(),
        today=lambda: day["today"],
        attach_explore=False,
    )
    qtbot.addWidget(k.window)
    k.window.show()
    k.slideshow.start()
    k.slideshow.timer.stop()
    k.day = day
    return k


def _shown_in_a_loop(k) -> set[str]:
    shown = set()
    for _ in range(len(k.slideshow.content.playlist) + 1):
        k.clock.advance(k.slideshow.duration() + 0.1)
        k.slideshow.tick()
        shown.add(k.slideshow.current_entry.key)
    return shown


def test_the_playlist_moves_at_midnight(kiosk):
    before = _shown_in_a_loop(kiosk)
    assert "kpi_services" in before and "quote_thach" not in before
    kiosk.day["today"] = DAY + dt.timedelta(1)  # 23:59:59 -> 00:00:00
    after = _shown_in_a_loop(kiosk)
    assert "kpi_services" not in after and "quote_thach" in after


def test_the_playlist_moves_while_a_visitor_explores(kiosk):
    kiosk.slideshow.pause()
    kiosk.day["today"] = DAY + dt.timedelta(1)
    kiosk.slideshow.restart()  # the visitor leaves after midnight
    assert "quote_thach" in {e.key for e in kiosk.slideshow.entries}
    assert "kpi_services" not in {e.key for e in kiosk.slideshow.entries}


def test_today_follows_the_configured_time_zone():
    from zoneinfo import ZoneInfo

    for zone in ("Asia/Ho_Chi_Minh", "Pacific/Kiritimati", "Etc/GMT+12"):
        assert today_in(zone)() == dt.datetime.now(ZoneInfo(zone)).date()
