"""Where the kiosk finds its files, in a source checkout and in the packaged build.

In a PyInstaller bundle the read-only files (fonts, seed sources) sit under
``sys._MEIPASS``; in a checkout they sit at the repository root. The writable DB goes
to ``var/`` in a checkout and to ``/var/lib/kiosk`` when installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGED_DB = Path("/var/lib/kiosk/content.db")
PACKAGED_CONFIG = Path("/etc/kiosk/kiosk.toml")


def is_frozen() -> bool:
    """True inside the PyInstaller build."""
    return bool(getattr(sys, "frozen", False))


def resource_root() -> Path:
    """Folder holding ``assets/`` and ``db/`` (the bundle, or the repository root)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


def assets_dir() -> Path:
    return resource_root() / "assets"


def fonts_dir() -> Path:
    return assets_dir() / "fonts"


def seed_dir() -> Path:
    """The human-readable content sources that ``kiosk db build`` turns into SQLite."""
    return resource_root() / "db"


def default_db_path() -> Path:
    """The content DB used when neither ``--db`` nor the config names one.

    ``KIOSK_DB`` overrides it (tests and previews use that); the packaged build uses
    /var/lib/kiosk; a checkout keeps its DB in ``var/`` beside the sources.
    """
    env = os.environ.get("KIOSK_DB")
    if env:
        return Path(env)
    if is_frozen():
        return PACKAGED_DB
    return resource_root() / "var" / "content.db"


def default_config_path() -> Path:
    """``KIOSK_CONFIG`` if set, else /etc/kiosk/kiosk.toml."""
    env = os.environ.get("KIOSK_CONFIG")
    return Path(env) if env else PACKAGED_CONFIG
