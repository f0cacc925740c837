"""Command-line options that the kiosk's and the fleet's commands share.

Here, below every subsystem, so each command group declares ``--config`` the same way
without importing another's command module.
"""

from __future__ import annotations

from pathlib import Path

import click

CONFIG_HELP = "TOML config file (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)."
DB_HELP = "Content DB file (default: the configured one, else var/content.db)."


def config_option(text: str = CONFIG_HELP):
    """``--config FILE`` passed as ``config_path`` (None: the default config file)."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=text,
    )


def db_option(text: str = DB_HELP):
    """``--db FILE`` passed as ``db_path`` (None: the configured content DB)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=text,
    )
