"""The content store: the only code that talks to SQLite.

``load_content`` reads; ``ContentSource`` watches for changes; the rest are staff operations
used by ``kiosk db``. The staff operations (which need sqlite-utils) are imported on first
use, so the kiosk's read path starts without loading sqlite-utils.
"""

from importlib import import_module

from kiosk.store.errors import StoreError
from kiosk.store.reader import load_content
from kiosk.store.source import ContentSource
from kiosk.store.validate import Problem

_WRITER_NAMES = (
    "backup_db",
    "build_db",
    "export_dir",
    "import_file",
    "migrate_db",
    "upgrade_on_start",
    "validate_db",
)


def __getattr__(name: str):
    if name in _WRITER_NAMES:
        return getattr(import_module("kiosk.store.writer"), name)
    raise AttributeError(f"module 'kiosk.store' has no attribute {name!r}")


__all__ = [
    "ContentSource",
    "Problem",
    "StoreError",
    "load_content",
    *_WRITER_NAMES,
]
