"""What every ``kiosk`` command shares: which DB it means, and errors as one line."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from kiosk.system.paths import default_config_path


def resolve_db(db_path: Path | None) -> Path:
    """``--db`` if given, else the config file's db_path, else the built-in default."""
    if db_path is not None:
        return db_path
    from kiosk.system.config import load_settings

    settings, _problems = load_settings(default_config_path())
    return settings.content_db()


def fail(error: Exception) -> click.ClickException:
    """A library error as click's one-line error."""
    return click.ClickException(str(error))


def parse_size(text: str) -> tuple[int, int]:
    """'1920x1080' -> (1920, 1080); raises click.BadParameter with the expected form."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (200 <= width <= 16384 and 200 <= height <= 16384):
        raise click.BadParameter(f"{text!r}: width and height must be 200 to 16384 pixels")
    return width, height


def staff_command(function):
    """Library errors (StoreError) and file-system errors become one line, never a traceback."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from kiosk.store import StoreError

        try:
            return function(*args, **kwargs)
        except StoreError as error:
            raise fail(error) from None
        except OSError as error:
            where = error.filename or "file"
            raise click.ClickException(f"{where}: {error.strerror or error}") from None

    return wrapper
