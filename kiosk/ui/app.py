"""Where the kiosk is wired together: settings, content source, window, timers.

``build_kiosk`` makes every part and connects them (tests drive it with a fake clock);
``run_kiosk`` adds what only a real run needs (logging, cursor, fullscreen placement,
the first-frame log line, the event loop). Start-up is ordered for a fast first frame:
the window shows the first slide before pyqtgraph is imported or anything else starts.
After it, explore mode (``attach_explore_mode``) and the chart library (``kiosk.ui.warm_up``)
come in short steps, one per event-loop turn, so that the screen never freezes for long.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk import __version__
from kiosk.content.clock import Clock, MonotonicClock
from kiosk.content.i18n import t
from kiosk.content.model import Content
from kiosk.store import ContentSource, StoreError
from kiosk.store.last_good import last_good_path
from kiosk.system.config import Settings
from kiosk.system.paths import default_db_path, seed_dir
from kiosk.ui.fleet_hook import attach_fleet, content_label, named
from kiosk.ui.fonts import load_fonts
from kiosk.ui.qtapp import ensure_app
from kiosk.ui.slides.base import REVEAL_MS
from kiosk.ui.slideshow import Slideshow
from kiosk.ui.theme import Theme, stylesheet, theme_for_size
from kiosk.ui.touch import no_double_clicks
from kiosk.ui.window import KioskWindow

if TYPE_CHECKING:  # loaded after the first frame, when they are made
    from kiosk.fleet.launch import FleetLauncher
    from kiosk.ui.early_touch import EarlyTouches
    from kiosk.ui.explore import ExploreView
    from kiosk.ui.lockdown import Lockdown
    from kiosk.ui.reload import BackgroundReload
    from kiosk.ui.screen_watch import ScreenWatch
    from kiosk.ui.visitor import VisitorController
    from kiosk.ui.warm_up import ChartWarmUp
    from kiosk.ui.watchdog_pinger import WatchdogPinger

log = logging.getLogger("kiosk")

UNAVAILABLE = t("holding.unavailable", "vi")


def process_age_ms() -> float:
    """Milliseconds since this process started (Linux /proc), for the first-frame line."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5), counted after "pid (comm)"
        with open("/proc/uptime", encoding="ascii") as uptime:
            up_s = float(uptime.read().split()[0])
        return max(0.0, (up_s - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000)
    except (OSError, ValueError, IndexError):
        return (time.monotonic() - _IMPORTED_AT) * 1000


_IMPORTED_AT = time.monotonic()


def started_from_terminal() -> bool:
    """True when someone typed the command (stdin is a terminal, not a systemd service)."""
    try:
        interactive = os.isatty(0)
    except OSError:
        interactive = False
    return interactive and "INVOCATION_ID" not in os.environ


class KioskSignals(QObject):
    """The kiosk's own signals (a dataclass cannot carry Qt signals itself)."""

    # New, validated content (named with its serial), after the slideshow has it.
    content_changed = Signal(object)


@dataclass
class Kiosk:
    """Everything a running kiosk is made of (tests reach the parts through this).

    The parts after ``signals`` are None until made: explore mode and the visitor
    controller when explore mode is attached, the rest by ``run_kiosk``.
    """

    app: QApplication
    settings: Settings
    theme: Theme
    clock: Clock
    source: ContentSource
    slideshow: Slideshow
    window: KioskWindow
    poll_timer: QTimer
    signals: KioskSignals
    explore: ExploreView | None = None
    visitor: VisitorController | None = None
    early_touches: EarlyTouches | None = None  # until explore mode is attached
    reload: BackgroundReload | None = None
    chart_warm_up: ChartWarmUp | None = None
    watchdog: WatchdogPinger | None = None
    fleet: FleetLauncher | None = None
    lockdown: Lockdown | None = None
    screen_watch: ScreenWatch | None = None

    def poll_content(self) -> bool:
        """Check the DB once, on this thread (tests; a real run polls in a worker with
        ``BackgroundReload``); hand new, validated content to every screen. True if new."""
        content = self.source.poll()
        if content is None:
            return False
        self.apply_content(content)
        return True

    def apply_content(self, content: Content) -> None:
        """Hand new, validated content to every screen (on the GUI thread)."""
        content = named(content, self.source)  # serial and hash, or "local edit"
        log.info("content changed (%s); showing it from the next slide", content.version)
        self.slideshow.set_content(content)
        self.signals.content_changed.emit(content)


def has_display() -> bool:
    """True when Qt can open a window: an X or Wayland display, or an explicit platform."""
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def ensure_default_db(path: Path) -> None:
    """Build the default DB from ``db/`` the first time the kiosk runs on a checkout."""
    if path.exists() or path != default_db_path():
        return
    from kiosk.store import build_db  # staff-side code (sqlite-utils): loaded only when needed

    log.info("no content DB at %s yet; building it from %s", path, seed_dir())
    path.parent.mkdir(parents=True, exist_ok=True)
    build_db(path, seed_dir())


def initial_content(source: ContentSource) -> Content:
    """The content to start with: the DB's, else the last good copy, else empty (a calm
    holding screen). One log line says which and why."""
    try:
        return source.current
    except StoreError as first_error:
        error = first_error
    if "kiosk db migrate" in str(error):
        # An older schema: migrate in place at start-up. Only then is sqlite-utils loaded,
        # which keeps its slow import out of every normal start.
        try:
            from kiosk.store import upgrade_on_start

            applied = upgrade_on_start(source.path)
            log.info("content DB migrated at start-up: %s", ", ".join(applied) or "nothing to do")
            return source.current
        except StoreError as migrate_error:
            error = migrate_error
    try:
        content = source.load_last_good()
    except StoreError:
        log.error("content unavailable: %s; showing a holding screen until it is fixed", error)
        return Content()
    log.error(
        "content unavailable: %s; showing the last good content (%s) until it is fixed",
        error,
        last_good_path(source.path),
    )
    return content


def today_in(time_zone: str):
    """A ``today()`` for the playlist's dates in ``time_zone`` (the PC's zone if unknown)."""
    from kiosk.system.config import zone_or_none

    zone = zone_or_none(time_zone)
    if zone is None:
        log.warning("time zone %r unknown here; playlist dates follow the PC's clock", time_zone)
        return dt.date.today
    return lambda: dt.datetime.now(zone).date()


def build_kiosk(
    settings: Settings,
    *,
    windowed: bool = False,
    size: tuple[int, int] | None = None,
    clock: Clock | None = None,
    today=None,
    attach_explore: bool = True,
) -> Kiosk:
    """Create the application parts and wire them; nothing is shown yet."""
    app = ensure_app()
    no_double_clicks()  # every touch is a press: a quick second tap or drag must not be lost
    family = load_fonts()
    clock = clock or MonotonicClock()
    if size:
        width, height = size
    else:
        screen = QGuiApplication.primaryScreen()
        geometry = screen.geometry() if screen else None
        width, height = (geometry.width(), geometry.height()) if geometry else (1920, 1080)
    theme = theme_for_size(width, height, family)
    app.setStyleSheet(stylesheet(theme))

    db_path = settings.content_db()
    try:
        ensure_default_db(db_path)
    except StoreError as error:
        log.error("could not build the default content: %s", error)
    source = ContentSource(db_path, clock=clock.now)
    content = initial_content(source)
    today = today or today_in(settings.time_zone)
    if content.playlist:
        content = named(content, source)
    slideshow = Slideshow(
        content,
        theme,
        lang=settings.language,
        default_duration_s=settings.slide_default_duration_s,
        reduced_motion=settings.reduced_motion,
        clock=clock,
        today=today,
    )
    if not content.playlist:
        slideshow.empty.setText(UNAVAILABLE)
    window = KioskWindow(slideshow, kiosk_mode=not windowed)
    window.resize(width, height)
    poll_timer = QTimer(window)
    poll_timer.setInterval(round(settings.reload_poll_s * 1000))
    signals = KioskSignals(window)
    kiosk = Kiosk(app, settings, theme, clock, source, slideshow, window, poll_timer, signals)
    poll_timer.timeout.connect(kiosk.poll_content)
    if attach_explore:
        attach_explore_mode(kiosk, staged=False)
    return kiosk


def attach_explore_mode(kiosk: Kiosk, staged: bool = True) -> None:
    """Explore mode, idle timeout and visit stats (a real run does this after the first frame).

    Makes the ``ExploreView`` (a window page) on the kiosk's content and theme, the visit
    statistics recorder beside the content DB, and the visitor controller on the kiosk's
    clock; keeps explore in step with content reloads; hands a touch seen before this
    (``EarlyTouches``) to the controller. ``staged``: the explore screens are built one
    per event-loop turn after this returns, as a single block would freeze the screen; a
    touch meanwhile finishes them at once (the controller's first call into the view).
    """
    if kiosk.visitor is not None:
        return  # already attached (a touch came first, or the timer did)
    from kiosk.store.stats_recorder import StatsRecorder, open_stats
    from kiosk.ui.explore import ExploreView
    from kiosk.ui.visitor import VisitorController

    settings = kiosk.settings
    explore = ExploreView(
        kiosk.slideshow.content,
        kiosk.theme,
        settings.language,
        reduced_motion=settings.reduced_motion,
        staged=staged,
    )
    path = getattr(kiosk.source, "path", None)
    stats = open_stats(path, settings.stats_keep_days) if path else StatsRecorder(None)
    visitor = VisitorController(
        kiosk.window, kiosk.slideshow, explore, settings, clock=kiosk.clock, stats=stats
    )
    kiosk.signals.content_changed.connect(explore.set_content)
    # A visit still open when the kiosk stops (staff exit, restart) is ended as "other".
    kiosk.app.aboutToQuit.connect(visitor.close)
    kiosk.explore, kiosk.visitor = explore, visitor
    if staged:
        explore.build_in_steps()
    early, kiosk.early_touches = kiosk.early_touches, None
    if early is not None:
        early.hand_over(visitor)


def start_services(kiosk: Kiosk) -> None:
    """What starts after the first frame: content polling and the background services."""
    from kiosk.ui.reload import BackgroundReload
    from kiosk.ui.warm_up import ChartWarmUp

    # The reads and checks of new content run in a worker; only the hand-over runs here.
    reload = BackgroundReload(kiosk)
    kiosk.reload = reload
    kiosk.poll_timer.timeout.disconnect(kiosk.poll_content)
    kiosk.poll_timer.timeout.connect(reload.poll)
    kiosk.poll_timer.start()
    # Warm up the chart library while the first slide is on screen, after its reveal, in
    # short steps: in one piece the import and the first chart would freeze the screen.
    warm_up = ChartWarmUp(kiosk.slideshow, stats_file_is_new(kiosk))
    kiosk.chart_warm_up = warm_up
    warm_up.start_thread()
    QTimer.singleShot(REVEAL_MS + 600, kiosk.window, warm_up.start)


def stats_file_is_new(kiosk: Kiosk) -> bool:
    """True when explore mode will create the visit statistics file (with sqlite-utils)."""
    from kiosk.store.stats import default_stats_path

    path = getattr(kiosk.source, "path", None)
    return path is not None and not default_stats_path(path).exists()


def run_kiosk(
    settings: Settings,
    windowed: bool = False,
    size: tuple[int, int] | None = None,
    quit_after_s: float | None = None,
    time_scale: float | None = None,
) -> int:
    """Run the kiosk until it is told to quit; returns the exit code."""
    try:
        from kiosk.system.logs import install_excepthook, setup_logging

        setup_logging(settings)
        install_excepthook()
    except ImportError:  # logging module not present in a partial checkout
        logging.basicConfig(level=logging.INFO)
    if not has_display():
        log.error(
            "no display to show the kiosk on: set DISPLAY (e.g. DISPLAY=:0) or start it from "
            "the graphical session; to try it without a screen: xvfb-run -a kiosk run --windowed"
        )
        return 2
    # Explore mode (its screens and charts) is built after the first frame, not before it.
    clock = None
    if time_scale:
        from kiosk.content.clock import ScaledClock

        clock = ScaledClock(time_scale)
        log.warning("time runs %g times faster (a soak test, not for a lobby)", time_scale)
    kiosk = build_kiosk(settings, windowed=windowed, size=size, clock=clock, attach_explore=False)
    app, window = kiosk.app, kiosk.window

    def on_first_frame() -> None:
        from kiosk.ui.early_touch import EarlyTouches

        # From the first frame on, a touch before explore mode is attached attaches it at
        # once and is not lost. Not earlier: an app-wide filter sees every start-up event.
        kiosk.early_touches = EarlyTouches(app, lambda: attach_explore_mode(kiosk))
        log.info("first frame in %d ms", round(process_age_ms()))
        start_services(kiosk)
        # Explore mode's screens are built once the first slide's reveal has played, in steps.
        QTimer.singleShot(REVEAL_MS + 100, lambda: attach_explore_mode(kiosk))
        from kiosk.ui.watchdog_pinger import start_watchdog  # READY=1 once the kiosk is on screen

        kiosk.watchdog = start_watchdog(app)
        kiosk.fleet = attach_fleet(kiosk)  # channel, metrics, heartbeat (a thread)

    window.first_frame.connect(on_first_frame)
    if windowed:
        window.show()
    else:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
        screens = QGuiApplication.screens()
        index = settings.screen_index if settings.screen_index < len(screens) else 0
        window.place_on_screen(screens[index] if screens else None)
        from kiosk.ui.lockdown import install_lockdown
        from kiosk.ui.screen_watch import watch_screens

        kiosk.lockdown = install_lockdown(
            app, window, settings, terminal_exit=started_from_terminal()
        )
        # Staff see which content and version this kiosk runs when they open the PIN pad.
        kiosk.lockdown.pad.describe = lambda: (
            f"kiosk {__version__} · {content_label(kiosk.source.path)}"
        )
        kiosk.screen_watch = watch_screens(app, window, settings.screen_index)
    from kiosk.ui.stop_signals import quit_on_signals  # Ctrl+C and systemctl stop

    stop_signals = quit_on_signals(app)
    kiosk.slideshow.start()
    if quit_after_s is not None:
        QTimer.singleShot(round(quit_after_s * 1000), lambda: app.exit(0))
    code = app.exec()
    stop_signals.restore()
    if kiosk.reload is not None:
        kiosk.reload.wait()
    kiosk.source.close()
    log.info("kiosk stopped (exit code %d, %d slide changes)", code, kiosk.slideshow.changes)
    return code
