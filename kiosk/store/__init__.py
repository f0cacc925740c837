"""The content store: the only code that talks to SQLite.

``load_content`` reads; ``ContentSource`` watches for changes; the rest are staff operations
used by ``kiosk db``.
"""

from kiosk.store.errors import StoreError
from kiosk.store.reader import load_content
from kiosk.store.source import ContentSource
from kiosk.store.validate import Problem
from kiosk.store.writer import (
    backup_db,
    build_db,
    export_dir,
    import_file,
    migrate_db,
    upgrade_on_start,
    validate_db,
)

__all__ = [
    "ContentSource",
    "Problem",
    "StoreError",
    "backup_db",
    "build_db",
    "export_dir",
    "import_file",
    "load_content",
    "migrate_db",
    "upgrade_on_start",
    "validate_db",
]
