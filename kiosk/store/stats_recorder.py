"""The visit statistics front the kiosk writes through: it never fails the caller.

``StatsRecorder`` wraps a ``StatsStore`` (``kiosk.store.stats``) and logs and swallows every
failure: a locked or broken statistics file must never take the visitor screens down.
``open_stats`` opens one beside the content DB (statistics off if it cannot). The visitor
controller (``kiosk.ui.visitor``) calls it; ``kiosk.ui.app`` creates it. No Qt here.

API::

    stats = open_stats(content_db_path, keep_days=365)  # or StatsRecorder(None): off
    stats.start(); stats.screen("timeline"); stats.milestone("m_dti")
    stats.end(length_s=48.5, reason="idle"); stats.close()
    stats.failures  # calls that failed (tests)
"""

from __future__ import annotations

import datetime as dt
import logging

# The visitor's logger: statistics trouble shows up beside the visits it concerns.
log = logging.getLogger("kiosk.visitor")


class StatsRecorder:
    """A never-failing front for the visit statistics store (``None`` = statistics off)."""

    def __init__(self, store=None) -> None:
        self.store = store
        self.session: int | None = None
        self.failures = 0
        self._warned = False

    def _call(self, what: str, function, *args, **kwargs):
        if self.store is None:
            return None
        try:
            result = function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the one place stats errors stop
            self.failures += 1
            # One warning until it works again: a broken file must not flood the journal.
            level = logging.DEBUG if self._warned else logging.WARNING
            log.log(level, "visit statistics: %s failed (%s); the kiosk carries on", what, error)
            self._warned = True
            return None
        self._warned = False
        return result

    def start(self) -> None:
        if self.store is not None:
            started = dt.datetime.now().isoformat(timespec="seconds")
            self.session = self._call("start session", self.store.start_session, started)

    def screen(self, name: str) -> None:
        if self.session is not None:
            self._call("record screen", self.store.screen_opened, self.session, name)

    def milestone(self, key: str) -> None:
        if self.session is not None:
            self._call("record milestone", self.store.milestone_opened, self.session, key)

    def end(self, length_s: float, reason: str) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            self._call(
                "end session", self.store.end_session, session, length_s=length_s, reason=reason
            )

    def prune(self, keep_days: int) -> int | None:
        """Delete sessions older than ``keep_days``; how many (None when it failed)."""
        if self.store is None:
            return None
        return self._call("prune", self.store.prune, dt.date.today(), keep_days)

    def close(self) -> None:
        if self.store is not None:
            self._call("close", self.store.close)


def open_stats(content_db_path, keep_days: int | None = None) -> StatsRecorder:
    """A recorder on ``visits.db`` beside the content DB; statistics off if it cannot open.

    With ``keep_days``, sessions older than that are deleted first (once per start).
    """
    try:
        from kiosk.store.stats import StatsStore, default_stats_path

        path = default_stats_path(content_db_path)
        recorder = StatsRecorder(StatsStore(path, content_db=content_db_path))
    except Exception as error:  # noqa: BLE001 - statistics are optional, the kiosk is not
        log.warning("visit statistics off: %s", error)
        return StatsRecorder(None)
    if keep_days is not None:
        removed = recorder.prune(keep_days)
        if removed:
            log.info(
                "visit statistics: removed %d session(s) older than %d days", removed, keep_days
            )
    return recorder
