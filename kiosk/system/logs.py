"""Logging for a kiosk nobody watches: stderr (the systemd journal) plus a rotated file.

``setup_logging(settings)`` configures the root logger once:

* stderr, always. Under systemd stderr goes to the journal (``journalctl -u kiosk``), which
  adds its own timestamps, so the line format drops ours there (``JOURNAL_STREAM`` is set).
* ``<log_dir>/kiosk.log`` when ``log_dir`` is set: rotated at midnight, 14 days kept, by the
  handler itself, so no logrotate rule is needed. A log dir that cannot be written is reported
  on stderr and the kiosk carries on with the journal only: logging must never stop the show.

``install_excepthook()`` sends uncaught exceptions (including those raised inside Qt slots,
which PySide6 routes to ``sys.excepthook``) to the log instead of a bare stderr dump.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOG_FILE = "kiosk.log"
KEEP_DAYS = 14
_FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_JOURNAL_FORMAT = "%(levelname)s %(name)s: %(message)s"
_MARK = "_kiosk_handler"


def _mark(handler: logging.Handler) -> logging.Handler:
    setattr(handler, _MARK, True)
    return handler


def setup_logging(
    settings, *, stream=None, root: logging.Logger | None = None
) -> list[logging.Handler]:
    """Configure logging from ``settings.log_level`` and ``settings.log_dir``.

    Calling it again (a test, a config reload) replaces the handlers it added before
    instead of duplicating every line. Returns the handlers it installed.
    """
    root = logging.getLogger() if root is None else root
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(getattr(logging, str(settings.log_level).upper(), logging.INFO))
    under_journal = bool(os.environ.get("JOURNAL_STREAM"))
    console = _mark(logging.StreamHandler(sys.stderr if stream is None else stream))
    console.setFormatter(logging.Formatter(_JOURNAL_FORMAT if under_journal else _FILE_FORMAT))
    root.addHandler(console)
    handlers = [console]
    if settings.log_dir:
        path = Path(settings.log_dir) / LOG_FILE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            rotating = logging.handlers.TimedRotatingFileHandler(
                path, when="midnight", backupCount=KEEP_DAYS, encoding="utf-8"
            )
        except OSError as error:
            root.warning(
                "log_dir %s cannot be written (%s); logging to the journal only. "
                "Fix: sudo install -d -o kiosk /var/log/kiosk",
                settings.log_dir,
                error.strerror or error,
            )
        else:
            rotating.setFormatter(logging.Formatter(_FILE_FORMAT))
            root.addHandler(_mark(rotating))
            handlers.append(rotating)
    return handlers


def install_excepthook() -> None:
    """Log uncaught exceptions with their traceback (to the journal and the file)."""
    log = logging.getLogger("kiosk")

    def hook(kind, value, traceback):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, traceback)
            return
        log.critical("uncaught exception", exc_info=(kind, value, traceback))

    sys.excepthook = hook
