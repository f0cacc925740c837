"""The wired app: fills the screen without a window manager, logs its first frame, picks up
DB edits at the next slide, and never shows bad content."""

import logging
import os
import shutil
import signal
import subprocess
import sys

import pytest

from kiosk.content.clock import FakeClock
from kiosk.store import import_file
from kiosk.system.config import Settings
from kiosk.ui.app import build_kiosk, process_age_ms, started_from_terminal

pytestmark = pytest.mark.gui


@pytest.fixture
def db(tmp_path, seed_db_path):
    path = tmp_path / "content.db"
    shutil.copy(seed_db_path, path)
    return path


@pytest.fixture
def kiosk(qtbot, db):
    clock = FakeClock()
    # No explore mode here: its app-wide touch filter would outlive the test (tests/ui/
    # test_visitor.py covers it).
    k = build_kiosk(
        Settings(db_path=str(db)),
        windowed=True,
        size=(1280, 720),
        clock=clock,
        attach_explore=False,
    )
    qtbot.addWidget(k.window)
    k.window.show()
    qtbot.waitExposed(k.window)
    k.slideshow.start()
    k.slideshow.timer.stop()
    yield k
    k.source.close()


def _next_slide(k):
    k.clock.advance(k.slideshow.duration() + 0.1)
    k.slideshow.tick()


def test_kiosk_window_fills_the_screen_without_a_window_manager(qtbot, db):
    # Xvfb runs no window manager: exactly the bare-X case.
    from PySide6.QtGui import QGuiApplication

    k = build_kiosk(Settings(db_path=str(db)), windowed=False, attach_explore=False)
    qtbot.addWidget(k.window)
    k.window.place_on_screen()
    qtbot.waitExposed(k.window)
    screen = QGuiApplication.primaryScreen().geometry()
    assert k.window.geometry() == screen
    assert k.window.isFullScreen()
    assert (k.theme.width, k.theme.height) == (screen.width(), screen.height())
    k.source.close()


def test_a_page_with_a_large_minimum_size_cannot_grow_the_window(qtbot, db):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    k = build_kiosk(Settings(db_path=str(db)), windowed=False, attach_explore=False)
    qtbot.addWidget(k.window)
    big = QWidget()
    big.setMinimumSize(4000, 3000)
    k.window.add_page(big)
    k.window.place_on_screen()
    qtbot.waitExposed(k.window)
    assert k.window.geometry() == QGuiApplication.primaryScreen().geometry()
    k.source.close()


def test_a_db_edit_reaches_the_screen_at_the_next_slide(kiosk, tmp_path):
    assert kiosk.poll_content() is False  # nothing changed yet
    edit = tmp_path / "playlist.csv"
    edit.write_text(
        "key,position,kind,ref,duration_s,enabled,title_vi,title_en\n"
        'kpi_services,10,kpi,"procedures,covid_solutions,online_filings",12,1,'
        "Dịch vụ công (đã sửa),Online services (edited)\n",
        encoding="utf-8",
    )
    import_file(kiosk.source.path, edit)
    assert kiosk.poll_content() is True
    assert kiosk.slideshow.current_slide.heading.text() == "Dịch vụ công trực tuyến"
    _next_slide(kiosk)
    assert kiosk.slideshow.current_index == 0
    assert kiosk.slideshow.current_slide.heading.text() == "Dịch vụ công (đã sửa)"


def test_a_broken_db_never_reaches_the_screen(kiosk, caplog):
    before = kiosk.slideshow.content
    with open(kiosk.source.path, "r+b") as f:
        f.seek(0)
        f.write(b"this is not a database at all" * 10)
    assert kiosk.poll_content() is False
    _next_slide(kiosk)
    assert kiosk.slideshow.content is before
    assert kiosk.slideshow.current_index == 1  # the loop goes on with the last good content


def test_missing_db_shows_a_holding_screen_not_a_crash(qtbot, tmp_path):
    k = build_kiosk(
        Settings(db_path=str(tmp_path / "gone.db")),
        windowed=True,
        size=(640, 360),
        attach_explore=False,
    )
    qtbot.addWidget(k.window)
    k.slideshow.start()
    assert k.slideshow.stack.currentWidget() is k.slideshow.empty
    assert "Content is being updated" in k.slideshow.empty.text()
    k.source.close()


def test_process_age_is_plausible():
    assert 0 < process_age_ms() < 24 * 3600 * 1000


@pytest.mark.slow
def test_kiosk_run_logs_its_first_frame(db):
    env = dict(os.environ, KIOSK_DB=str(db), PYTHONFAULTHANDLER="1")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--quit-after", "1.5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "first frame in" in line]
    assert len(lines) == 1, result.stderr
    assert int(lines[0].rsplit("first frame in ", 1)[1].split()[0]) > 0


def test_started_from_terminal_only_by_hand(monkeypatch):
    monkeypatch.setattr(os, "isatty", lambda fd: True)
    monkeypatch.delenv("INVOCATION_ID", raising=False)
    assert started_from_terminal()
    monkeypatch.setenv("INVOCATION_ID", "0123abcd")  # set by systemd for every service
    assert not started_from_terminal()
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    monkeypatch.delenv("INVOCATION_ID")
    assert not started_from_terminal()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_kiosk_run_stops_cleanly_on_sigterm_and_ctrl_c(db, signum):
    """systemctl stop (SIGTERM) and Ctrl+C (SIGINT) end the event loop with exit code 0."""
    env = dict(os.environ, KIOSK_DB=str(db), PYTHONFAULTHANDLER="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--quit-after", "60"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in proc.stderr:  # wait until the kiosk is on screen and idle in its loop
        seen.append(line)
        if "first frame in" in line:
            break
    proc.send_signal(signum)
    try:
        _, rest = proc.communicate(timeout=15)
    finally:
        proc.kill()
    log = "".join(seen) + rest
    assert proc.returncode == 0, log
    assert f"stopping on {signal.Signals(signum).name}" in log
    assert "kiosk stopped (exit code 0, " in log


def test_the_chart_warm_up_holds_the_slideshow_prebuild_then_builds_the_next_slide(qtbot, kiosk):
    from kiosk.store.stats import default_stats_path
    from kiosk.ui.app import start_services, stats_file_is_new

    show = kiosk.slideshow
    assert len(show.slides) == 1
    start_services(kiosk)  # as after the first frame: the steps start after the reveal
    try:
        warm = kiosk.chart_warm_up
        assert show.hold_prebuild and not warm.done
        show.prebuild_next()  # the slideshow's own prebuild waits for the warm-up
        assert len(show.slides) == 1
        qtbot.waitUntil(lambda: warm.done, timeout=15000)
        assert not show.hold_prebuild and "pyqtgraph" in sys.modules
        assert show.entries[1].key in show.slides  # the next slide (a chart) is ready
        assert "sqlite_utils" in warm.modules  # no visits.db yet: explore mode makes one
    finally:
        kiosk.poll_timer.stop()
    default_stats_path(kiosk.source.path).touch()
    assert not stats_file_is_new(kiosk)


def test_the_chart_warm_up_does_without_qt_modules_the_package_leaves_out(
    qtbot, kiosk, monkeypatch, caplog
):
    """The packaged build has no QtTest: the warm-up skips it quietly, no traceback."""
    from kiosk.ui.warm_up import ChartWarmUp

    monkeypatch.setitem(sys.modules, "PySide6.QtTest", None)  # import raises ImportError
    with pytest.raises(ImportError):
        import PySide6.QtTest  # noqa: F401
    warm = ChartWarmUp(kiosk.slideshow)
    warm.start_thread()
    with caplog.at_level(logging.DEBUG, logger="kiosk"):
        warm.start()
        qtbot.waitUntil(lambda: warm.done, timeout=15000)
    assert not kiosk.slideshow.hold_prebuild
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "PySide6.QtTest not in this build" in caplog.text
