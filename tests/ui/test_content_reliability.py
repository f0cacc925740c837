"""The running kiosk and bad content: start-up on a bad DB shows the last good content (or a
holding screen) with one line and no traceback; new content is read in a worker thread and
only handed over on the GUI thread."""

import logging
import shutil
import sqlite3
import threading

import pytest

from kiosk.content.clock import FakeClock
from kiosk.store.last_good import last_good_path
from kiosk.system.config import Settings
from kiosk.ui.app import build_kiosk, start_services

pytestmark = pytest.mark.gui


@pytest.fixture
def db(tmp_path, seed_db_path):
    path = tmp_path / "content.db"
    shutil.copy(seed_db_path, path)
    return path


def _start(qtbot, db):
    k = build_kiosk(
        Settings(db_path=str(db)),
        windowed=True,
        size=(960, 540),
        clock=FakeClock(),
        attach_explore=False,
    )
    qtbot.addWidget(k.window)
    return k


def _lines(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _break(db):
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE milestones DROP COLUMN image")
    conn.commit()
    conn.close()


def test_restart_on_a_bad_db_shows_the_last_good_content(qtbot, db, caplog):
    first = _start(qtbot, db)
    slides = len(first.slideshow.content.playlist)
    assert slides and last_good_path(db).is_file()
    _break(db)
    assert first.poll_content() is False
    caplog.clear()
    restarted = _start(qtbot, db)  # a power cut, the watchdog, an upgrade
    assert len(restarted.slideshow.content.playlist) == slides
    lines = _lines(caplog)
    assert len(lines) == 1 and "last good content" in lines[0] and "milestones" in lines[0]
    assert restarted.poll_content() is False and len(_lines(caplog)) == 1


@pytest.mark.parametrize("kind", ["dropped column", "folder", "fifo", "garbage"])
def test_start_up_without_a_last_good_copy_is_a_holding_screen(qtbot, tmp_path, db, kind, caplog):
    import os

    if kind == "dropped column":
        _break(db)
    elif kind == "folder":
        db = tmp_path / "a-folder"
        db.mkdir()
    elif kind == "fifo":
        db = tmp_path / "a-pipe"
        os.mkfifo(db)
    else:
        db.write_bytes(os.urandom(8192))
    k = _start(qtbot, db)
    assert not k.slideshow.content.playlist
    assert k.slideshow.empty.text()
    assert k.poll_content() is False and k.poll_content() is False
    assert len(_lines(caplog)) == 1, _lines(caplog)
    assert "Traceback" not in caplog.text


def test_new_content_is_read_in_a_worker_and_handed_over_on_the_gui_thread(qtbot, db):
    k = _start(qtbot, db)
    start_services(k)
    k.poll_timer.stop()
    reload = k.reload
    threads, handed = {}, []
    real_poll = k.source.poll

    def poll():
        threads["poll"] = threading.current_thread()
        return real_poll()

    def apply(content):
        threads["apply"] = threading.current_thread()
        handed.append(content)

    k.source.poll, k.apply_content = poll, apply
    conn = sqlite3.connect(db)
    conn.execute("UPDATE indicators SET value = 1999 WHERE key = 'procedures'")
    conn.commit()
    conn.close()
    reload.poll()
    reload.poll()  # one at a time: this one is dropped while the first runs
    qtbot.waitUntil(lambda: reload.polls == 1, timeout=10_000)
    assert threads["poll"] is not threading.main_thread()
    assert threads["apply"] is threading.main_thread()
    assert [c.indicator("procedures").value for c in handed] == [1999]
    k.chart_warm_up._thread.join()
