"""Logging setup: stderr always, a rotated file when log_dir is set, never fatal."""

from __future__ import annotations

import io
import logging
import logging.handlers

from kiosk.system.config import DEFAULTS, with_overrides
from kiosk.system.logs import LOG_FILE, setup_logging


def fresh_logger(name):
    logger = logging.getLogger(name)
    logger.handlers.clear()
    logger.propagate = False
    return logger


def test_stderr_only_without_log_dir():
    root = fresh_logger("t-stderr")
    stream = io.StringIO()
    settings = with_overrides(DEFAULTS, log_level="WARNING")
    handlers = setup_logging(settings, stream=stream, root=root)
    assert len(handlers) == 1
    root.info("hidden")
    root.warning("shown")
    assert "shown" in stream.getvalue() and "hidden" not in stream.getvalue()


def test_file_is_rotated_daily_and_written(tmp_path):
    root = fresh_logger("t-file")
    settings = with_overrides(DEFAULTS, log_dir=str(tmp_path / "logs"), log_level="debug")
    handlers = setup_logging(settings, stream=io.StringIO(), root=root)
    rotating = handlers[1]
    assert isinstance(rotating, logging.handlers.TimedRotatingFileHandler)
    assert rotating.when == "MIDNIGHT" and rotating.backupCount == 14
    root.debug("Đà Nẵng đứng đầu DTI")
    rotating.flush()
    assert "Đà Nẵng đứng đầu DTI" in (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8")


def test_unwritable_log_dir_falls_back_to_stderr(tmp_path):
    root = fresh_logger("t-bad")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    stream = io.StringIO()
    settings = with_overrides(DEFAULTS, log_dir=str(blocker / "logs"))
    handlers = setup_logging(settings, stream=stream, root=root)
    assert len(handlers) == 1
    line = stream.getvalue().strip()
    assert "cannot be written" in line and "\n" not in line


def test_calling_twice_does_not_duplicate_lines():
    root = fresh_logger("t-twice")
    stream = io.StringIO()
    setup_logging(DEFAULTS, stream=stream, root=root)
    setup_logging(DEFAULTS, stream=stream, root=root)
    root.warning("once")
    assert stream.getvalue().count("once") == 1


def test_excepthook_logs_uncaught_exceptions(monkeypatch, caplog):
    import sys

    from kiosk.system.logs import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook()
    try:
        raise RuntimeError("slot blew up")
    except RuntimeError:
        kind, value, traceback = sys.exc_info()
    with caplog.at_level(logging.CRITICAL, logger="kiosk"):
        sys.excepthook(kind, value, traceback)
    record = caplog.records[-1]
    assert record.levelno == logging.CRITICAL and record.exc_info[1] is value
